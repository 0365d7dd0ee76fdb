//! Popolo: the vote events of a sitting, with counts and, where known, each member's vote
//! and group.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub classification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub given_name: String,
    pub family_name: String,
    pub honorific_prefix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    pub person_id: String,
    pub organization_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_behalf_of_id: Option<String>,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub start_date: String,
    pub organization_id: String,
    pub classification: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    /// yes, no, abstain, not voting, absent.
    pub option: String,
    pub value: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub group_id: String,
    pub option: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vote {
    pub voter_id: String,
    pub option: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// "proxy" when the vote was cast by a member holding the voter's proxy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_holder_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Motion {
    pub text: String,
    pub requirement: String,
    pub result: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VoteEvent {
    pub id: String,
    pub identifier: Option<String>,
    pub organization_id: String,
    pub legislative_session_id: String,
    pub start_date: String,
    pub motion: Motion,
    /// pass or fail.
    pub result: String,
    pub counts: Vec<Count>,
    pub group_results: Vec<GroupResult>,
    pub votes: Vec<Vote>,
}

/// A sitting's vote events and who they refer to.
#[derive(Debug, Clone, Serialize)]
pub struct PopoloExport {
    pub organizations: Vec<Organization>,
    pub persons: Vec<Person>,
    pub memberships: Vec<Membership>,
    pub events: Vec<Event>,
    pub vote_events: Vec<VoteEvent>,
}

/// Popolo's code for a vote choice.
pub fn option(choice: acta_domain::vote::VoteChoice) -> &'static str {
    use acta_domain::vote::VoteChoice::*;
    match choice {
        For => "yes",
        Against => "no",
        Abstention => "abstain",
        NotParticipating => "not voting",
    }
}
