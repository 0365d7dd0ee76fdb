//! The commands of a sitting: create it, call the roll, record movements and proxies,
//! add items, preview and close them.

use crate::args::{
    AttendanceArgs, ItemCommand, ItemVote, MemberCommand, MovementArgs, NumberingCommand,
    ProxyArgs, RulesCommand, SeatCommand, SittingCommand, VoteArgs,
};
use crate::print::{self, print_created, print_json};
use acta_app::input::{AttendanceInput, MovementInput, VoteInput, VoteRequest};
use acta_app::{Acta, Actor, AppError};
use acta_domain::DomainError;
use acta_domain::rules::AssemblyRules;
use acta_domain::sitting::{AttendanceStatus, MovementKind};

/// "Nom=choix" → (nom, choix), splitting at the last "=" (group names hold commas).
fn pair(field: &str, raw: &str) -> Result<(String, String), AppError> {
    raw.rsplit_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .ok_or_else(|| {
            AppError::Domain(DomainError::field(
                field,
                format!("Vote : « {raw} » doit s'écrire « Nom=choix », par exemple « Jean DUPONT=pour »."),
            ))
        })
}

fn pairs(field: &str, list: &[String]) -> Result<Vec<(String, String)>, AppError> {
    list.iter().map(|raw| pair(field, raw)).collect()
}

/// The vote the arguments state, in whichever of the three modes they use.
pub fn vote_request(v: &VoteArgs) -> Result<VoteRequest, AppError> {
    Ok(VoteRequest {
        vote: vote_input(v)?,
        secret: v.secret,
        voix_president: v.president_vote.clone(),
    })
}

fn vote_input(v: &VoteArgs) -> Result<Option<VoteInput>, AppError> {
    let totals = v.for_.is_some() || v.against.is_some() || v.abstention.is_some();
    let per_member = !v.members.is_empty();
    let per_group = !totals && (!v.groups.is_empty() || !v.exceptions.is_empty());
    let modes = [totals, per_member, per_group]
        .iter()
        .filter(|m| **m)
        .count();
    if modes > 1 || (totals && !v.exceptions.is_empty()) {
        return Err(AppError::Domain(DomainError::rule(
            "Vote : choisissez un seul mode de saisie : par élu (--member), par groupe (--group, --except) ou en totaux (--for, --against, --abstention).",
        )));
    }
    Ok(if totals {
        Some(VoteInput::Totals {
            for_: v.for_.unwrap_or(0),
            against: v.against.unwrap_or(0),
            abstention: v.abstention.unwrap_or(0),
            not_participating: v.not_participating.unwrap_or(0),
            groups: pairs("groupe", &v.groups)?,
        })
    } else if per_member {
        Some(VoteInput::PerMember {
            ballots: pairs("member", &v.members)?,
        })
    } else if per_group {
        Some(VoteInput::PerGroup {
            groups: pairs("groupe", &v.groups)?,
            exceptions: pairs("sauf", &v.exceptions)?,
        })
    } else {
        None
    })
}

pub async fn sitting(
    acta: &Acta,
    actor: &Actor,
    cmd: SittingCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        SittingCommand::Create { input } => {
            let id = acta.create_sitting(actor, &input).await?;
            print_created(json, id, &format!("Séance n°{id} créée."))?;
        }
    }
    Ok(())
}

pub async fn attendance(acta: &Acta, actor: &Actor, a: AttendanceArgs) -> Result<(), AppError> {
    let status = AttendanceStatus::parse("presence", &a.status)?;
    let input = AttendanceInput {
        statut: status.code().to_string(),
        membres: a.members,
    };
    let n = acta.record_attendance(actor, &a.sitting, &input).await?;
    println!("{n} élu(s) enregistré(s) : {}.", status.heading());
    Ok(())
}

pub async fn movement(acta: &Acta, actor: &Actor, m: MovementArgs) -> Result<(), AppError> {
    let (kind, from) = match (m.arrives_from, m.leaves_after) {
        (Some(p), _) => (MovementKind::Arrives, p),
        (None, Some(p)) => (MovementKind::Leaves, p.saturating_add(1)),
        (None, None) => {
            return Err(AppError::Domain(DomainError::rule(
                "Mouvement : précisez --arrives-from ou --leaves-after.",
            )));
        }
    };
    let input = MovementInput {
        member: m.member.clone(),
        kind: kind.code().to_string(),
        from_item: from,
    };
    acta.record_movement(actor, &m.sitting, &input).await?;
    match kind {
        MovementKind::Arrives => println!("{} présent(e) à partir du point {from}.", m.member),
        MovementKind::Leaves => println!("{} absent(e) à partir du point {from}.", m.member),
    }
    Ok(())
}

pub async fn proxy(acta: &Acta, actor: &Actor, p: ProxyArgs) -> Result<(), AppError> {
    acta.give_proxy(actor, &p.sitting, &p.input).await?;
    println!(
        "{} a donné pouvoir à {}{}.",
        p.input.giver,
        p.input.holder,
        if p.input.from_item > 1 {
            format!(" à partir du point {}", p.input.from_item)
        } else {
            String::new()
        }
    );
    Ok(())
}

pub async fn item(
    acta: &Acta,
    actor: &Actor,
    cmd: ItemCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        ItemCommand::Add { sitting, input } => {
            let position = acta.add_item(actor, &sitting, &input).await?;
            println!(
                "Rapport N°{} inscrit au point {position} de l'ordre du jour.",
                input.report_number
            );
        }
        ItemCommand::Show(item) => evaluate(acta, None, &item, json).await?,
        ItemCommand::Close(item) => evaluate(acta, Some(actor), &item, json).await?,
    }
    Ok(())
}

/// Works an item's vote out; with an actor, closes the item and numbers it.
async fn evaluate(
    acta: &Acta,
    closing: Option<&Actor>,
    item: &ItemVote,
    json: bool,
) -> Result<(), AppError> {
    let ItemVote {
        sitting,
        position,
        vote,
    } = item;
    let position = *position;
    let request = vote_request(vote)?;
    let (entry, options) = (request.vote.as_ref(), request.options()?);
    let report = match closing {
        Some(actor) => {
            acta.close_item(actor, sitting, position, entry, &options)
                .await?
        }
        None => {
            acta.preview_item(sitting, position, entry, &options)
                .await?
        }
    };
    if json {
        print_json(&report)
    } else {
        print::item(&report);
        Ok(())
    }
}

pub async fn numbering(acta: &Acta, actor: &Actor, cmd: NumberingCommand) -> Result<(), AppError> {
    match cmd {
        NumberingCommand::Set { body, year, last } => {
            let next = acta.set_numbering(actor, &body, year, last).await?;
            println!("Séquence réglée : le prochain numéro sera {next}.");
        }
    }
    Ok(())
}

pub async fn rules(
    acta: &Acta,
    actor: &Actor,
    cmd: RulesCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        RulesCommand::Show => {
            let rules = acta.rules().await?;
            if json {
                print_json(&rules)?;
            } else {
                let text = toml::to_string(&rules)
                    .map_err(|e| AppError::File(format!("Règles illisibles : {e}")))?;
                print!("{text}");
            }
        }
        RulesCommand::Set { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                AppError::File(format!("Fichier « {} » illisible : {e}", file.display()))
            })?;
            let rules: AssemblyRules = toml::from_str(&text)
                .map_err(|e| AppError::File(format!("Règles illisibles : {e}")))?;
            acta.set_rules(actor, &rules).await?;
            println!("Règles d'assemblée enregistrées.");
        }
    }
    Ok(())
}

pub async fn member(
    acta: &Acta,
    actor: &Actor,
    cmd: MemberCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        MemberCommand::List => {
            let members = acta.members().await?;
            if json {
                print_json(&members)?;
            } else {
                for m in &members {
                    println!("n°{} {}", m.id, m.name.with_civility());
                }
            }
        }
        MemberCommand::Group { member, group } => {
            acta.set_member_group(actor, &member, &group).await?;
            println!("{member} inscrit(e) au groupe « {group} ».");
        }
        MemberCommand::Email(input) => {
            acta.set_member_email(actor, &input).await?;
            match input.email() {
                Ok(Some(e)) => println!("Adresse de {} : {e}.", input.member),
                _ => println!(
                    "{} n'a plus d'adresse : sa convocation partira par courrier.",
                    input.member
                ),
            }
        }
    }
    Ok(())
}

pub async fn seat(acta: &Acta, actor: &Actor, cmd: SeatCommand) -> Result<(), AppError> {
    match cmd {
        SeatCommand::Add {
            member,
            beneficiary,
            capacity,
        } => {
            let b = acta.find_beneficiary(&beneficiary).await?;
            acta.add_beneficiary_seat(actor, &member, b.id, &capacity)
                .await?;
            println!(
                "{member} siège dans les instances de {} : il ou elle ne prendra pas part aux votes de ses aides.",
                b.name
            );
        }
    }
    Ok(())
}
