//! The kinds of event the merchant API records (`GET /v1/events`) and webhooks deliver: one
//! per state change, written in the change's own transaction.

string_enum! {
    /// What changed.
    pub enum EventKind {
        /// A customer was made.
        CustomerCreated => "customer.created",
        /// A customer's details changed.
        CustomerUpdated => "customer.updated",
        /// A subscription was made.
        SubscriptionCreated => "subscription.created",
        /// A subscription's price, quantity or scheduled end changed.
        SubscriptionUpdated => "subscription.updated",
        /// A subscription ended.
        SubscriptionCanceled => "subscription.canceled",
        /// A cancellation at the period end was undone, or a paused subscription resumed.
        SubscriptionResumed => "subscription.resumed",
        /// A subscription's pause began (no invoices until it resumes).
        SubscriptionPaused => "subscription.paused",
        /// A renewal failed and is being retried.
        SubscriptionPastDue => "subscription.past_due",
        /// Retries ran out.
        SubscriptionUnpaid => "subscription.unpaid",
        /// A past-due subscription was paid again.
        SubscriptionRecovered => "subscription.recovered",
        /// An invoice was issued.
        InvoiceCreated => "invoice.created",
        /// An invoice was paid.
        InvoicePaid => "invoice.paid",
        /// A charge of an invoice failed.
        InvoicePaymentFailed => "invoice.payment_failed",
        /// An invoice was written off.
        InvoiceUncollectible => "invoice.uncollectible",
        /// A payment method was saved.
        PaymentMethodAttached => "payment_method.attached",
        /// A payment method was removed.
        PaymentMethodDetached => "payment_method.detached",
        /// Another payment method became the default.
        PaymentMethodDefaultChanged => "payment_method.default_changed",
        /// A merchant's app opened the portal for a customer.
        PortalSessionCreated => "portal_session.created",
        /// The portal's settings changed.
        PortalSettingsUpdated => "portal_settings.updated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_object_dot_change_and_parse_back() {
        for kind in EventKind::ALL {
            let text = kind.as_str();
            assert_eq!(EventKind::parse(text), Ok(*kind));
            let (object, change) = text.split_once('.').expect("object.change");
            assert!(!object.is_empty() && !change.is_empty(), "{text}");
        }
        assert!(EventKind::parse("customer.deleted").is_err());
    }
}
