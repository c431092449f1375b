//! Who may change the team, and the one rule that keeps an organization reachable: its
//! last owner can be neither removed nor demoted. Invitations: single use, for
//! [`INVITATION_TTL_DAYS`] days.
use crate::StaffRole;
use chrono::{DateTime, TimeDelta, Utc};

/// How long an invitation to the team can be accepted.
pub const INVITATION_TTL_DAYS: i64 = 7;

/// When an invitation sent at `sent` stops working.
pub fn invitation_expires(sent: DateTime<Utc>) -> DateTime<Utc> {
    sent + TimeDelta::days(INVITATION_TTL_DAYS)
}

/// Why an invitation cannot be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvitationRefusal {
    /// Someone accepted it already.
    #[error("this invitation has been used")]
    Used,
    /// Its days ran out.
    #[error("this invitation has expired")]
    Expired,
}

/// Whether an invitation may be accepted at `now`: not accepted yet, not expired.
pub fn check_invitation(
    accepted: bool,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), InvitationRefusal> {
    if accepted {
        Err(InvitationRefusal::Used)
    } else if now >= expires_at {
        Err(InvitationRefusal::Expired)
    } else {
        Ok(())
    }
}

/// A change to one member of the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamChange {
    /// Give the member this role.
    SetRole(StaffRole),
    /// Take the member out of the organization.
    Remove,
}

/// Why a team change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TeamRefusal {
    /// The member is the organization's only owner.
    #[error("the last owner can be neither removed nor demoted")]
    LastOwner,
}

/// Checks `change` to a member whose role is `member`, when the organization has `owners`
/// owners (the member included, when they are one).
pub fn check_team_change(
    owners: u64,
    member: StaffRole,
    change: TeamChange,
) -> Result<(), TeamRefusal> {
    let loses_an_owner = member == StaffRole::Owner
        && match change {
            TeamChange::Remove => true,
            TeamChange::SetRole(role) => role != StaffRole::Owner,
        };
    if loses_an_owner && owners <= 1 {
        Err(TeamRefusal::LastOwner)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_works_once_for_seven_days() {
        let sent = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let ends = invitation_expires(sent);
        assert_eq!((ends - sent).num_days(), 7);
        assert_eq!(check_invitation(false, ends, sent), Ok(()));
        assert_eq!(
            check_invitation(false, ends, ends - TimeDelta::seconds(1)),
            Ok(())
        );
        assert_eq!(
            check_invitation(false, ends, ends),
            Err(InvitationRefusal::Expired)
        );
        assert_eq!(
            check_invitation(true, ends, sent),
            Err(InvitationRefusal::Used)
        );
    }
    use StaffRole::{Admin, Owner, Viewer};

    #[test]
    fn the_last_owner_stays_an_owner() {
        type Case = (u64, StaffRole, TeamChange, Result<(), TeamRefusal>);
        let cases: &[Case] = &[
            (1, Owner, TeamChange::Remove, Err(TeamRefusal::LastOwner)),
            (
                1,
                Owner,
                TeamChange::SetRole(Admin),
                Err(TeamRefusal::LastOwner),
            ),
            (
                1,
                Owner,
                TeamChange::SetRole(Viewer),
                Err(TeamRefusal::LastOwner),
            ),
            (1, Owner, TeamChange::SetRole(Owner), Ok(())),
            (2, Owner, TeamChange::Remove, Ok(())),
            (2, Owner, TeamChange::SetRole(Viewer), Ok(())),
            (1, Admin, TeamChange::Remove, Ok(())),
            (1, Viewer, TeamChange::SetRole(Owner), Ok(())),
        ];
        for (owners, member, change, want) in cases {
            assert_eq!(
                check_team_change(*owners, *member, *change),
                *want,
                "{owners} {member:?} {change:?}"
            );
        }
    }
}
