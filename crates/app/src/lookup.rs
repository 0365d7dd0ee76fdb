//! Finding things by what users type: a member by name, a body by its kind or name, a
//! sitting by its date, a group by its name.

use crate::AppError;
use acta_domain::collectivity::{Body, BodyKind};
use acta_domain::french::{fold, format_date_long};
use acta_domain::keys::SittingKey;
use acta_domain::people::{Member, PoliticalGroup};
use acta_domain::sitting::Sitting;
use acta_domain::{Id, Stored};
use acta_store::Tx;

/// A member by "Prénom NOM" (case and accents do not matter) or by number.
pub async fn member(tx: &mut Tx, key: &str) -> Result<Stored<Member>, AppError> {
    let members = tx.members().await?;
    if let Ok(n) = key.trim().parse::<i64>() {
        return members
            .into_iter()
            .find(|m| m.id.get() == n)
            .ok_or_else(|| AppError::not_found(format!("Élu : aucun élu n°{n}.")));
    }
    let wanted = fold(key);
    let mut found: Vec<Stored<Member>> = members
        .into_iter()
        .filter(|m| {
            fold(&m.name.full()) == wanted
                || fold(&format!("{} {}", m.name.last_name, m.name.first_name)) == wanted
        })
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(AppError::not_found(format!(
            "Élu : aucun élu ne s'appelle « {} » (écrire « Prénom NOM »).",
            key.trim()
        ))),
        n => Err(AppError::conflict(format!(
            "Élu : {n} élus s'appellent « {} » ; donnez leur numéro ({}).",
            key.trim(),
            found
                .iter()
                .map(|m| m.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A body by number, by kind ("cd", "cp", "conseil", "commission permanente") or by name.
pub async fn body(tx: &mut Tx, key: &str) -> Result<Stored<Body>, AppError> {
    let bodies = tx.bodies().await?;
    let k = fold(key);
    let kind = match k.as_str() {
        "cd" | "conseil" | "conseil departemental" | "council" => Some(BodyKind::Council),
        "cp" | "commission permanente" | "permanent_commission" => {
            Some(BodyKind::PermanentCommission)
        }
        _ => None,
    };
    let found = bodies.into_iter().find(|b| {
        Some(b.kind) == kind
            || fold(&b.name) == k
            || fold(&b.display_name()) == k
            || k.parse::<i64>().is_ok_and(|n| b.id.get() == n)
    });
    found.ok_or_else(|| {
        AppError::not_found(format!(
            "Instance : « {} » est inconnue (cd, cp, un nom ou un numéro).",
            key.trim()
        ))
    })
}

pub async fn group(tx: &mut Tx, key: &str) -> Result<Stored<PoliticalGroup>, AppError> {
    let wanted = fold(key);
    tx.groups()
        .await?
        .into_iter()
        .find(|g| {
            fold(&g.name) == wanted || key.trim().parse::<i64>().is_ok_and(|n| g.id.get() == n)
        })
        .ok_or_else(|| {
            AppError::not_found(format!(
                "Groupe : aucun groupe politique « {} ».",
                key.trim()
            ))
        })
}

/// A sitting by its number, or by its date when only one sitting was held that day.
pub async fn sitting(tx: &mut Tx, key: &SittingKey) -> Result<Stored<Sitting>, AppError> {
    match *key {
        SittingKey::Date(date) => {
            let mut found = tx.sittings_on(date).await?;
            match found.len() {
                0 => Err(AppError::not_found(format!(
                    "Séance : aucune séance le {}.",
                    format_date_long(date)
                ))),
                1 => Ok(found.remove(0)),
                n => Err(AppError::conflict(format!(
                    "Séance : {n} séances le {} ; donnez le numéro de la séance ({}).",
                    format_date_long(date),
                    found
                        .iter()
                        .map(|s| s.id.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
        SittingKey::Id(id) => tx
            .sitting(id)
            .await?
            .ok_or_else(|| AppError::not_found(format!("Séance : aucune séance n°{id}."))),
    }
}

/// A deliberation by its number ("2023-479").
pub async fn deliberation(
    tx: &mut Tx,
    number: &str,
) -> Result<Stored<acta_domain::deliberation::Deliberation>, AppError> {
    tx.deliberation_by_number(number.trim())
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!(
                "Délibération : aucune délibération ne porte le numéro « {} ».",
                number.trim()
            ))
        })
}

/// A sitting by id and the body that holds it, which every act of the sitting names.
pub async fn sitting_and_body(
    tx: &mut Tx,
    id: Id<Sitting>,
) -> Result<(Stored<Sitting>, Stored<Body>), AppError> {
    let sitting = tx
        .sitting(id)
        .await?
        .ok_or_else(|| AppError::not_found("Séance introuvable."))?;
    let body = tx
        .body(sitting.body)
        .await?
        .ok_or_else(|| AppError::not_found("Instance introuvable."))?;
    Ok((sitting, body))
}

/// The collectivity, which every published text names.
pub async fn collectivity(
    tx: &mut Tx,
) -> Result<acta_domain::collectivity::Collectivity, AppError> {
    tx.collectivity()
        .await?
        .ok_or_else(|| AppError::conflict("La collectivité n'est pas enregistrée."))
}

/// The deliberation that decided an award: the one it names, or the one its report became.
pub async fn deliberation_of_award(
    tx: &mut Tx,
    award: &acta_domain::grant::Award,
) -> Result<Option<Id<acta_domain::deliberation::Deliberation>>, AppError> {
    Ok(match (award.deliberation, award.report) {
        (Some(d), _) => Some(d),
        (None, Some(r)) => tx.deliberation_of_report(r).await?.map(|d| d.id),
        (None, None) => None,
    })
}
