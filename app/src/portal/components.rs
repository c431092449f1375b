//! The portal's components.
mod add_card_form;
mod add_sepa_form;
mod field_error;
mod form_error_text;
mod method_item;
mod page_heading;
mod pager;
mod portal_shell;
mod portal_unavailable;
mod query_notice;
pub(crate) mod recovery_notice;
mod subscription_button;

pub use add_card_form::AddCardForm;
pub use add_sepa_form::AddSepaForm;
pub use field_error::FieldErrorText;
pub use form_error_text::FormErrorText;
pub use method_item::{MethodList, method_name};
pub use page_heading::PageHeading;
pub use pager::Pager;
pub use portal_shell::{PortalShell, use_shell};
pub use portal_unavailable::PortalUnavailable;
pub use query_notice::QueryNotice;
pub use recovery_notice::RecoveryNotice;
pub use subscription_button::{SubscriptionButton, SubscriptionButtonForm};
