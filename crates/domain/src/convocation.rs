//! Before the sitting: the legal delay of the convocation and of the reports (CGCT
//! L3121-19 for the Conseil départemental, the règlement intérieur for the Commission
//! permanente, one clear day in an emergency), who is convened, the members' replies
//! (present, absent, proxy) and the attendance and quorum they let the assemblies service
//! expect, and the interests members declare on an item.

use crate::collectivity::BodyKind;
use crate::error::DomainError;
use crate::french::format_date_long;
use crate::ids::Id;
use crate::people::{Mandate, Member};
use crate::presence::{AttendanceRecord, Presence};
use crate::quorum::QuorumCheck;
use crate::rules::AssemblyRules;
use crate::sitting::{AttendanceStatus, Proxy, Sitting};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Clear days (jours francs) between two dates: neither the day of sending nor the day
/// of the sitting counts.
pub fn clear_days(sent: Date, sitting: Date) -> i64 {
    let days = i64::from(
        sent.until(sitting)
            .map(|s| s.get_days())
            .unwrap_or(i32::MIN),
    );
    days - 1
}

/// The last date a convocation may go with `days` clear days before the sitting.
pub fn latest_sending_date(sitting: Date, days: i32) -> Date {
    sitting
        .checked_sub((i64::from(days) + 1).days())
        .unwrap_or(Date::MIN)
}

fn legal_ground(kind: BodyKind) -> &'static str {
    match kind {
        BodyKind::Council => "article L3121-19 du CGCT",
        BodyKind::PermanentCommission | BodyKind::ThematicCommission => {
            "règlement intérieur de l'assemblée"
        }
    }
}

/// The emergency reason when one is given (blank is none).
fn reason(emergency: Option<&str>) -> Option<&str> {
    emergency.map(str::trim).filter(|r| !r.is_empty())
}

/// Checks that a convocation sent on `sent` for a sitting of a body of `kind` on `sitting`
/// respects the ordinary delay; a late one goes only through the emergency path
/// ([`check_emergency_convocation`]).
pub fn check_convocation(
    rules: &AssemblyRules,
    kind: BodyKind,
    sent: Date,
    sitting: Date,
) -> Result<(), DomainError> {
    let days = rules.convocation_days(kind);
    if clear_days(sent, sitting) >= i64::from(days) {
        return Ok(());
    }
    Err(DomainError::rule(format!(
        "Convocation tardive : pour la séance du {}, la convocation et les rapports devaient partir au plus tard le {} ({days} jours francs, {}) ; nous sommes le {}. Seule la procédure d'urgence le permet encore, avec son motif.",
        format_date_long(sitting),
        format_date_long(latest_sending_date(sitting, days)),
        legal_ground(kind),
        format_date_long(sent),
    )))
}

/// The emergency path: a reason, and at least the emergency delay.
pub fn check_emergency_convocation(
    rules: &AssemblyRules,
    sent: Date,
    sitting: Date,
    emergency: Option<&str>,
) -> Result<String, DomainError> {
    let Some(reason) = reason(emergency) else {
        return Err(DomainError::field(
            "urgence",
            "Urgence : donnez le motif de l'urgence ; le procès-verbal le mentionnera.",
        ));
    };
    let days = rules.emergency_convocation_days;
    if clear_days(sent, sitting) < i64::from(days) {
        return Err(DomainError::rule(format!(
            "Convocation refusée même en urgence : il faut au moins {days} jour(s) franc(s) avant la séance du {} (envoi au plus tard le {}).",
            format_date_long(sitting),
            format_date_long(latest_sending_date(sitting, days)),
        )));
    }
    Ok(reason.to_string())
}

/// The last day reports may be submitted for a sitting.
pub fn submission_deadline(rules: &AssemblyRules, sitting: Date) -> Date {
    sitting
        .checked_sub(i64::from(rules.report_deadline_days).days())
        .unwrap_or(Date::MIN)
}

/// Checks that a report may still go on a sitting's agenda on `today`: before the
/// submission deadline and before the convocation froze the agenda, or through the
/// emergency path with its reason (returned, to mark the item).
pub fn check_agenda_addition(
    rules: &AssemblyRules,
    today: Date,
    sitting: Date,
    convened: bool,
    emergency: Option<&str>,
) -> Result<Option<String>, DomainError> {
    if today > sitting {
        return Err(DomainError::rule(format!(
            "Ordre du jour : la séance du {} est passée.",
            format_date_long(sitting)
        )));
    }
    let deadline = submission_deadline(rules, sitting);
    let late = today > deadline;
    if !late && !convened {
        return Ok(None);
    }
    match reason(emergency) {
        Some(r) => Ok(Some(r.to_string())),
        None if convened => Err(DomainError::rule(format!(
            "Ordre du jour figé : la convocation de la séance du {} est partie ; une inscription tardive passe par la procédure d'urgence, avec son motif.",
            format_date_long(sitting)
        ))),
        None => Err(DomainError::rule(format!(
            "Date limite dépassée : les rapports de la séance du {} devaient être déposés au plus tard le {} ({} jours avant) ; une inscription tardive passe par la procédure d'urgence, avec son motif.",
            format_date_long(sitting),
            format_date_long(deadline),
            rules.report_deadline_days
        ))),
    }
}

/// Checks that an item may go to another sitting (reporté): not voted yet, to a later
/// sitting of the same body, with a reason.
pub fn check_postponement(
    voted: bool,
    (from_body, from_date): (Id<crate::collectivity::Body>, Date),
    (to_body, to_date): (Id<crate::collectivity::Body>, Date),
    reason: &str,
) -> Result<(), DomainError> {
    if voted {
        return Err(DomainError::rule(
            "Report : le point est voté ; un vote clos ne se reporte pas.",
        ));
    }
    if to_body != from_body {
        return Err(DomainError::field(
            "seance",
            "Séance : un point se reporte à une séance de la même instance.",
        ));
    }
    if to_date <= from_date {
        return Err(DomainError::field(
            "seance",
            format!(
                "Séance : le report va à une séance postérieure au {}.",
                format_date_long(from_date)
            ),
        ));
    }
    if reason.trim().is_empty() {
        return Err(DomainError::field(
            "motif",
            "Motif : dites pourquoi le point est reporté ; le procès-verbal le mentionnera.",
        ));
    }
    Ok(())
}

/// The members convened to a sitting: every member with a mandate in its body on its
/// date; those without a deliberative vote only when the rules say so.
pub fn recipients(
    mandates: &[Mandate],
    sitting: &Sitting,
    rules: &AssemblyRules,
) -> Vec<Id<Member>> {
    let set: BTreeSet<Id<Member>> = mandates
        .iter()
        .filter(|m| m.body == sitting.body && m.active_on(sitting.date))
        .filter(|m| m.voting || rules.convene_without_vote)
        .map(|m| m.member)
        .collect();
    set.into_iter().collect()
}

/// What a member answers to the convocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reponse", content = "mandataire")]
pub enum Reply {
    Present,
    Absent,
    /// Absent, giving their vote to a colleague for the whole sitting.
    Proxy(Id<Member>),
}

/// What a member's reply says, before the proxy holder is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    Present,
    Absent,
    Proxy,
}

impl ReplyKind {
    /// "present", "absent" or "pouvoir" (accents and feminine forms accepted).
    pub fn parse(field: &str, input: &str) -> Result<Self, DomainError> {
        match input.trim().to_lowercase().as_str() {
            "present" | "présent" | "presente" | "présente" => Ok(ReplyKind::Present),
            "absent" | "absente" => Ok(ReplyKind::Absent),
            "pouvoir" | "proxy" => Ok(ReplyKind::Proxy),
            other => Err(DomainError::field(
                field,
                format!("Réponse : « {other} » n'est pas reconnue (present, absent ou pouvoir)."),
            )),
        }
    }
}

impl Reply {
    pub fn label(self) -> &'static str {
        match self {
            Reply::Present => "Présent",
            Reply::Absent => "Absent",
            Reply::Proxy(_) => "Pouvoir",
        }
    }
}

/// The attendance the replies let one expect, with the quorum it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectedAttendance {
    pub presence: Presence,
    pub quorum: QuorumCheck,
    /// Members with a deliberative vote who have not replied (counted absent).
    pub no_reply: BTreeSet<Id<Member>>,
}

/// The replies read as a roll call at the opening: those who come are present, those
/// who give a proxy are excused with their proxy from the first item.
fn as_record(
    sitting: Id<Sitting>,
    voting: &BTreeSet<Id<Member>>,
    replies: &[(Id<Member>, Reply)],
) -> AttendanceRecord {
    let mut record = AttendanceRecord {
        voting_members: voting.clone(),
        ..AttendanceRecord::default()
    };
    for (member, reply) in replies {
        let status = match reply {
            Reply::Present => AttendanceStatus::Present,
            Reply::Absent | Reply::Proxy(_) => AttendanceStatus::Excused,
        };
        record.roll_call.insert(*member, status);
        if let Reply::Proxy(holder) = reply {
            record.proxies.push(Proxy {
                sitting,
                giver: *member,
                holder: *holder,
                from_position: 1,
            });
        }
    }
    record
}

/// The expected attendance and quorum from the replies received.
pub fn expected_attendance(
    sitting: Id<Sitting>,
    voting: &BTreeSet<Id<Member>>,
    replies: &[(Id<Member>, Reply)],
    counts_proxies: bool,
    describe: impl Fn(Id<Member>) -> String,
) -> ExpectedAttendance {
    let record = as_record(sitting, voting, replies);
    let presence = record.presence_at(1, describe);
    let quorum = crate::quorum::check(&presence, counts_proxies, None);
    let replied: BTreeSet<Id<Member>> = replies.iter().map(|(m, _)| *m).collect();
    ExpectedAttendance {
        presence,
        quorum,
        no_reply: voting.difference(&replied).copied().collect(),
    }
}

/// Checks a member's new reply against the others: a proxy goes to a colleague with a
/// deliberative vote, not to oneself, and a colleague holds one delegation at most
/// (L3121-16), as at the sitting.
pub fn check_reply(
    sitting: Id<Sitting>,
    voting: &BTreeSet<Id<Member>>,
    replies: &[(Id<Member>, Reply)],
    member: Id<Member>,
    reply: Reply,
    describe: impl Fn(Id<Member>) -> String,
) -> Result<(), DomainError> {
    if !voting.contains(&member) && matches!(reply, Reply::Proxy(_)) {
        return Err(DomainError::rule(format!(
            "Pouvoir : {} n'a pas voix délibérative dans cette instance ; il n'a pas de vote à confier.",
            describe(member)
        )));
    }
    let Reply::Proxy(holder) = reply else {
        return Ok(());
    };
    let others: Vec<(Id<Member>, Reply)> = replies
        .iter()
        .copied()
        .filter(|(m, _)| *m != member)
        .collect();
    if others
        .iter()
        .any(|(m, r)| *m == holder && matches!(r, Reply::Absent | Reply::Proxy(_)))
    {
        return Err(DomainError::rule(format!(
            "Pouvoir : {} a annoncé son absence ; confiez votre vote à un collègue présent.",
            describe(holder)
        )));
    }
    let record = as_record(sitting, voting, &others);
    record.check_new_proxy(
        &Proxy {
            sitting,
            giver: member,
            holder,
            from_position: 1,
        },
        1,
        describe,
    )
}

/// A member's declaration of interest on an item ("je ne prendrai pas part au vote").
pub fn check_interest_reason(reason: &str) -> Result<String, DomainError> {
    let reason = crate::french::normalize_spaces(reason);
    if reason.is_empty() {
        return Err(DomainError::field(
            "motif",
            "Motif : dites la nature de l'intérêt (ex. membre du conseil d'administration du bénéficiaire).",
        ));
    }
    Ok(reason)
}

/// How the mail server is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailSecurity {
    StartTls,
    Tls,
    /// No encryption: a relay on the same machine, or a test server.
    None,
}

impl MailSecurity {
    pub fn parse(field: &str, input: &str) -> Result<Self, crate::FieldError> {
        match input.trim().to_lowercase().as_str() {
            "" | "starttls" => Ok(MailSecurity::StartTls),
            "tls" | "ssl" => Ok(MailSecurity::Tls),
            "aucune" | "none" => Ok(MailSecurity::None),
            other => Err(crate::FieldError::new(
                field,
                format!("Sécurité : « {other} » n'est pas reconnue (starttls, tls ou aucune)."),
            )),
        }
    }
}

/// The Département's mail server and what convocations say of their sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSetting {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub login: Option<(String, crate::signature::PasswordSource)>,
    pub from: crate::identifiers::EmailAddress,
    pub from_name: String,
    /// The address of acta as members reach it, for their personal links.
    pub public_url: String,
    pub timeout_seconds: u64,
}

impl MailSetting {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = crate::error::Errors::new();
        if self.host.trim().is_empty() || self.host.contains(char::is_whitespace) {
            errors.push(crate::FieldError::new(
                "serveur",
                "Serveur : le nom ou l'adresse du serveur SMTP est obligatoire.",
            ));
        }
        if self.port == 0 {
            errors.push(crate::FieldError::new("port", "Port : de 1 à 65535."));
        }
        let url = self.public_url.trim();
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or_default();
        if host.is_empty() || host.contains(char::is_whitespace) || url.ends_with('/') {
            errors.push(crate::FieldError::new(
                "adresse_acta",
                format!("Adresse d'acta : « {url} » n'est pas une adresse http(s):// sans « / » final (ex. https://acta.pasdecalais.fr)."),
            ));
        }
        errors.into_result()
    }

    /// The member's personal link for a convocation token.
    pub fn member_link(&self, token: &str) -> String {
        self.link(&format!("/elus/convocation/{token}"))
    }

    /// An address of acta as its users reach it ("/beneficiaires/…").
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim().trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn delays_count_clear_days() {
        let sitting = date(2023, 11, 20);
        assert_eq!(clear_days(date(2023, 11, 7), sitting), 12);
        assert_eq!(clear_days(date(2023, 11, 19), sitting), 0);
        assert_eq!(latest_sending_date(sitting, 12), date(2023, 11, 7));
        let rules = AssemblyRules::default();
        let table = [
            (BodyKind::Council, date(2023, 11, 7), true),
            (BodyKind::Council, date(2023, 11, 8), false),
            (BodyKind::PermanentCommission, date(2023, 11, 12), true),
            (BodyKind::PermanentCommission, date(2023, 11, 13), false),
        ];
        for (kind, sent, ok) in table {
            assert_eq!(
                check_convocation(&rules, kind, sent, sitting).is_ok(),
                ok,
                "{kind:?} {sent}"
            );
        }
        let late = check_convocation(&rules, BodyKind::Council, date(2023, 11, 10), sitting);
        assert!(
            matches!(&late, Err(e) if e.to_string().contains("7 novembre 2023") && e.to_string().contains("L3121-19")),
            "{late:?}"
        );
        assert!(
            check_emergency_convocation(&rules, date(2023, 11, 18), sitting, Some("Crise")).is_ok()
        );
        assert!(
            check_emergency_convocation(&rules, date(2023, 11, 19), sitting, Some("Crise"))
                .is_err()
        );
        assert!(
            check_emergency_convocation(&rules, date(2023, 11, 18), sitting, Some("  ")).is_err()
        );
    }

    #[test]
    fn replies_are_read_as_members_type_them() {
        let table = [
            ("present", Some(ReplyKind::Present)),
            (" Présente ", Some(ReplyKind::Present)),
            ("absent", Some(ReplyKind::Absent)),
            ("pouvoir", Some(ReplyKind::Proxy)),
            ("peut-être", None),
            ("", None),
        ];
        for (input, expected) in table {
            assert_eq!(ReplyKind::parse("reponse", input).ok(), expected, "{input}");
        }
    }

    #[test]
    fn an_item_goes_only_to_a_later_sitting_of_its_body_before_its_vote() {
        let (cp, cd) = (Id::new(2), Id::new(1));
        let from = (cp, date(2023, 11, 20));
        let table = [
            (false, (cp, date(2023, 12, 18)), "Pièces manquantes", true),
            (true, (cp, date(2023, 12, 18)), "Pièces manquantes", false),
            (false, (cd, date(2023, 12, 18)), "Pièces manquantes", false),
            (false, (cp, date(2023, 11, 20)), "Pièces manquantes", false),
            (false, (cp, date(2023, 12, 18)), " ", false),
        ];
        for (voted, to, reason, ok) in table {
            assert_eq!(
                check_postponement(voted, from, to, reason).is_ok(),
                ok,
                "{voted} {to:?} {reason:?}"
            );
        }
    }

    #[test]
    fn the_agenda_takes_reports_until_the_deadline_then_only_in_emergency() {
        let rules = AssemblyRules::default();
        let sitting = date(2023, 11, 20);
        let table = [
            (date(2023, 10, 30), false, None, Ok(None)),
            (date(2023, 10, 31), false, None, Err(())),
            (
                date(2023, 10, 31),
                false,
                Some("Crue"),
                Ok(Some("Crue".to_string())),
            ),
            (date(2023, 10, 20), true, None, Err(())),
            (
                date(2023, 10, 20),
                true,
                Some("Crue"),
                Ok(Some("Crue".to_string())),
            ),
            (date(2023, 11, 21), false, Some("Crue"), Err(())),
        ];
        for (today, convened, emergency, expected) in table {
            let got =
                check_agenda_addition(&rules, today, sitting, convened, emergency).map_err(|_| ());
            assert_eq!(got, expected, "{today} {convened}");
        }
    }

    fn m(n: i64) -> Id<Member> {
        Id::new(n)
    }

    #[test]
    fn replies_give_the_expected_quorum_and_keep_the_one_proxy_rule() {
        let voting: BTreeSet<Id<Member>> = (1..=5).map(m).collect();
        let s = Id::new(1);
        let d = |id: Id<Member>| format!("élu {id}");
        let replies = vec![(m(1), Reply::Present), (m(2), Reply::Present)];
        let e = expected_attendance(s, &voting, &replies, true, d);
        assert_eq!(
            (e.quorum.counted, e.quorum.required, e.quorum.reached),
            (2, 3, false)
        );
        assert_eq!(e.no_reply.len(), 3);
        assert!(check_reply(s, &voting, &replies, m(3), Reply::Proxy(m(1)), d).is_ok());
        let mut with_proxy = replies.clone();
        with_proxy.push((m(3), Reply::Proxy(m(1))));
        let e = expected_attendance(s, &voting, &with_proxy, true, d);
        assert_eq!((e.quorum.counted, e.quorum.reached), (3, true));
        // Not counted for a Conseil départemental.
        let e = expected_attendance(s, &voting, &with_proxy, false, d);
        assert_eq!((e.quorum.counted, e.quorum.reached), (2, false));
        // Member 1 already holds one delegation.
        assert!(check_reply(s, &voting, &with_proxy, m(4), Reply::Proxy(m(1)), d).is_err());
        // Not to oneself, not to someone absent, not to a non-member.
        assert!(check_reply(s, &voting, &with_proxy, m(4), Reply::Proxy(m(4)), d).is_err());
        assert!(check_reply(s, &voting, &with_proxy, m(4), Reply::Proxy(m(3)), d).is_err());
        assert!(check_reply(s, &voting, &with_proxy, m(4), Reply::Proxy(m(9)), d).is_err());
        // Member 3 changes their mind: their proxy is replaced, not added.
        assert!(check_reply(s, &voting, &with_proxy, m(3), Reply::Proxy(m(2)), d).is_ok());
    }
}
