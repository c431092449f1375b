//! What a staff member may do in the admin console.

string_enum! {
    /// A staff member's role in an organization.
    pub enum StaffRole {
        /// Full control, including rotating the portal key.
        Owner => "owner",
        /// Changes settings.
        Admin => "admin",
        /// Looks only.
        Viewer => "viewer",
    }
}

impl StaffRole {
    /// May change portal settings, branding, templates and permissions.
    pub const fn can_change_settings(self) -> bool {
        match self {
            StaffRole::Owner | StaffRole::Admin => true,
            StaffRole::Viewer => false,
        }
    }

    /// May rotate the portal key, which breaks every portal link already sent to customers.
    pub const fn can_rotate_portal_key(self) -> bool {
        match self {
            StaffRole::Owner => true,
            StaffRole::Admin | StaffRole::Viewer => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities() {
        let cases: &[(StaffRole, &str, bool, bool)] = &[
            (StaffRole::Owner, "owner", true, true),
            (StaffRole::Admin, "admin", true, false),
            (StaffRole::Viewer, "viewer", false, false),
        ];
        for (role, name, settings, rotate) in cases {
            assert_eq!(role.as_str(), *name);
            assert_eq!(StaffRole::parse(name), Ok(*role));
            assert_eq!(role.can_change_settings(), *settings);
            assert_eq!(role.can_rotate_portal_key(), *rotate);
        }
        assert!(StaffRole::parse("Owner").is_err());
        assert!(StaffRole::parse("superuser").is_err());
    }
}
