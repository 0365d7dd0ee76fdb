//! Accounts from the command line: the first administrator is created here.

use crate::args::AccountCommand;
use crate::print::print_json;
use acta_app::accounts::NewAccount;
use acta_app::{Acta, Actor, AppError};

/// The password from ACTA_PASSWORD, or the first line of standard input: never an
/// argument, which other users of the machine could read in the process list.
fn password() -> Result<String, AppError> {
    if let Ok(p) = std::env::var("ACTA_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        AppError::File(format!(
            "Mot de passe illisible sur l'entrée standard : {e}"
        ))
    })?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub async fn account(
    acta: &Acta,
    actor: &Actor,
    cmd: AccountCommand,
    json: bool,
) -> Result<(), AppError> {
    match cmd {
        AccountCommand::Add { login, name, role } => {
            let input = NewAccount {
                login,
                name,
                role,
                password: password()?,
            };
            acta.create_account(actor, &input).await?;
            println!("Compte « {} » créé.", input.login.trim().to_lowercase());
        }
        AccountCommand::List => {
            let accounts = acta.accounts().await?;
            if json {
                print_json(&accounts)?;
            } else {
                for a in &accounts {
                    println!(
                        "{} — {} — {}{}",
                        a.login,
                        a.name,
                        a.role_label,
                        if a.active { "" } else { " (fermé)" }
                    );
                }
            }
        }
        AccountCommand::Password { login } => {
            acta.set_password(actor, &login, &password()?).await?;
            println!("Mot de passe de « {login} » changé ; ses sessions sont fermées.");
        }
        AccountCommand::Close { login } => {
            acta.set_account_active(actor, &login, false).await?;
            println!("Compte « {login} » fermé.");
        }
        AccountCommand::LinkMember { login, member } => {
            acta.link_account_member(actor, &login, &member).await?;
            println!("Le compte « {login} » ouvre l'espace de {member}.");
        }
        AccountCommand::LinkDirection { login, direction } => {
            acta.link_account_direction(actor, &login, direction.as_deref())
                .await?;
            match direction {
                Some(d) => println!("Le compte « {login} » instruit pour : {d}."),
                None => println!("Le compte « {login} » instruit pour toutes les directions."),
            }
        }
        AccountCommand::Reopen { login } => {
            acta.set_account_active(actor, &login, true).await?;
            println!("Compte « {login} » rouvert.");
        }
        AccountCommand::Locks => {
            let locks = acta.locked_logins().await?;
            if json {
                return print_json(&locks);
            }
            if locks.is_empty() {
                println!("Aucun blocage.");
            }
            for l in &locks {
                println!(
                    "{} — {} échec(s), bloqué jusqu'à {}",
                    l.cle, l.echecs, l.jusqu_a
                );
            }
        }
        AccountCommand::Unlock { key } => {
            acta.unlock(actor, &key).await?;
            println!("« {} » débloqué.", key.trim());
        }
    }
    Ok(())
}
