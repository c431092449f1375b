//! Who may change the team, and the one rule that keeps an organization reachable: its
//! last owner can be neither removed nor demoted.
use crate::StaffRole;

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
