//! What a merchant lets its customers do in the portal.

string_enum! {
    /// One thing a customer may be allowed to do in the portal. Each hides a portal
    /// section when off and is enforced by the server.
    pub enum PortalPermission {
        /// Add, remove and choose the default card or SEPA mandate.
        UpdatePaymentMethods => "update_payment_methods",
        /// See past payments.
        ViewPaymentHistory => "view_payment_history",
        /// Download invoice PDFs.
        DownloadInvoices => "download_invoices",
        /// Cancel the subscription (at period end).
        CancelSubscription => "cancel_subscription",
        /// Pay an open or past-due invoice now ("Pay now"), with a saved method.
        PayInvoices => "pay_invoices",
        /// Change their own name, language, billing address and tax ID.
        UpdateBillingDetails => "update_billing_details",
        /// Pause a subscription from its period's end until a day they choose, within the
        /// merchant's longest pause, and resume it.
        PauseSubscription => "pause_subscription",
        /// Switch to another price or quantity the merchant lists: an upgrade now,
        /// prorated; a downgrade at the period's end.
        ChangePlan => "change_plan",
    }
}

impl PortalPermission {
    const fn bit(self) -> u8 {
        match self {
            PortalPermission::UpdatePaymentMethods => 1 << 0,
            PortalPermission::ViewPaymentHistory => 1 << 1,
            PortalPermission::DownloadInvoices => 1 << 2,
            PortalPermission::CancelSubscription => 1 << 3,
            PortalPermission::PayInvoices => 1 << 4,
            PortalPermission::UpdateBillingDetails => 1 << 5,
            PortalPermission::PauseSubscription => 1 << 6,
            PortalPermission::ChangePlan => 1 << 7,
        }
    }
}

/// A set of [`PortalPermission`]s. On the wire it is a list of their snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<PortalPermission>", into = "Vec<PortalPermission>")]
pub struct PortalPermissions(u8);

impl PortalPermissions {
    /// No permissions.
    pub const fn empty() -> Self {
        PortalPermissions(0)
    }

    /// Every permission.
    pub fn all() -> Self {
        PortalPermission::ALL.iter().copied().collect()
    }

    /// What a new portal starts with: everything except cancelling, which merchants opt
    /// into knowingly (the guide pairs it with a retention warning). "Pay now" is on: it only
    /// ever collects what is owed. Billing details are on: they change no amount. Pausing
    /// is off: it stops revenue. Plan changes are off: they move revenue.
    pub fn default_set() -> Self {
        Self::all()
            .without(PortalPermission::CancelSubscription)
            .without(PortalPermission::PauseSubscription)
            .without(PortalPermission::ChangePlan)
    }

    /// Whether `permission` is in the set.
    pub const fn contains(&self, permission: PortalPermission) -> bool {
        self.0 & permission.bit() != 0
    }

    /// Adds `permission`.
    pub fn insert(&mut self, permission: PortalPermission) {
        self.0 |= permission.bit();
    }

    /// Removes `permission`.
    pub fn remove(&mut self, permission: PortalPermission) {
        self.0 &= !permission.bit();
    }

    /// Adds `permission` when `on`, removes it otherwise (one checkbox).
    pub fn set(&mut self, permission: PortalPermission, on: bool) {
        if on {
            self.insert(permission);
        } else {
            self.remove(permission);
        }
    }

    /// A copy with `permission` added.
    pub fn with(mut self, permission: PortalPermission) -> Self {
        self.insert(permission);
        self
    }

    /// A copy with `permission` removed.
    pub fn without(mut self, permission: PortalPermission) -> Self {
        self.remove(permission);
        self
    }

    /// True when no permission is granted.
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The granted permissions, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = PortalPermission> + use<> {
        let set = *self;
        PortalPermission::ALL
            .iter()
            .copied()
            .filter(move |p| set.contains(*p))
    }
}

impl FromIterator<PortalPermission> for PortalPermissions {
    fn from_iter<I: IntoIterator<Item = PortalPermission>>(iter: I) -> Self {
        let mut set = PortalPermissions::empty();
        for permission in iter {
            set.insert(permission);
        }
        set
    }
}

impl From<Vec<PortalPermission>> for PortalPermissions {
    fn from(list: Vec<PortalPermission>) -> Self {
        list.into_iter().collect()
    }
}

impl From<PortalPermissions> for Vec<PortalPermission> {
    fn from(set: PortalPermissions) -> Self {
        set.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_round_trip() {
        let cases: &[(PortalPermission, &str)] = &[
            (
                PortalPermission::UpdatePaymentMethods,
                "update_payment_methods",
            ),
            (PortalPermission::ViewPaymentHistory, "view_payment_history"),
            (PortalPermission::DownloadInvoices, "download_invoices"),
            (PortalPermission::CancelSubscription, "cancel_subscription"),
            (PortalPermission::PayInvoices, "pay_invoices"),
            (
                PortalPermission::UpdateBillingDetails,
                "update_billing_details",
            ),
            (PortalPermission::PauseSubscription, "pause_subscription"),
            (PortalPermission::ChangePlan, "change_plan"),
        ];
        for (permission, name) in cases {
            assert_eq!(permission.as_str(), *name);
            assert_eq!(PortalPermission::parse(name), Ok(*permission));
        }
        assert_eq!(PortalPermission::ALL.len(), 8);
        assert!(PortalPermission::parse("cancel-subscription").is_err());
    }

    #[test]
    fn set_operations() {
        let defaults = PortalPermissions::default_set();
        assert!(defaults.contains(PortalPermission::UpdatePaymentMethods));
        assert!(defaults.contains(PortalPermission::ViewPaymentHistory));
        assert!(defaults.contains(PortalPermission::DownloadInvoices));
        assert!(!defaults.contains(PortalPermission::CancelSubscription));
        assert!(defaults.contains(PortalPermission::PayInvoices));
        assert!(defaults.contains(PortalPermission::UpdateBillingDetails));
        assert!(!defaults.contains(PortalPermission::PauseSubscription));
        assert!(!defaults.contains(PortalPermission::ChangePlan));

        let mut set = PortalPermissions::empty();
        assert!(set.is_empty());
        set.insert(PortalPermission::CancelSubscription);
        set.set(PortalPermission::DownloadInvoices, true);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [
                PortalPermission::DownloadInvoices,
                PortalPermission::CancelSubscription
            ]
        );
        set.set(PortalPermission::DownloadInvoices, false);
        set.remove(PortalPermission::CancelSubscription);
        assert_eq!(set, PortalPermissions::empty());
        assert_eq!(PortalPermissions::all().iter().count(), 8);
        assert_eq!(
            PortalPermissions::all(),
            defaults
                .with(PortalPermission::CancelSubscription)
                .with(PortalPermission::PauseSubscription)
                .with(PortalPermission::ChangePlan)
        );
    }

    proptest! {
        #[test]
        fn set_matches_a_model(ops in proptest::collection::vec((0usize..8, any::<bool>()), 0..20)) {
            let mut set = PortalPermissions::empty();
            let mut model = [false; 8];
            for (index, on) in ops {
                set.set(PortalPermission::ALL[index], on);
                model[index] = on;
            }
            for (index, permission) in PortalPermission::ALL.iter().enumerate() {
                prop_assert_eq!(set.contains(*permission), model[index]);
                prop_assert_eq!(PortalPermission::parse(permission.as_str()), Ok(*permission));
            }
            let list: Vec<PortalPermission> = set.into();
            prop_assert_eq!(PortalPermissions::from(list), set);
        }
    }
}
