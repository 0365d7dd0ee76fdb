//! The beneficiaries' portal (`/beneficiaires`): an organisation registers, confirms its
//! address, applies to a dispositif with its budget and pieces, follows its applications
//! and grants, sends its countersigned convention and the pieces its tranches wait for.
//! Every page and file is the acting organisation's own: the application layer starts each
//! use case from the account's organisation, and answers "introuvable" for anything else.

use crate::AppState;
use crate::extract::{PathParams, Staff, Submitted, Upload};
use crate::pages::{Frame, MessagePage, NavLink, Typed, render};
use crate::session::Visitor;
use crate::writes::{form, page_subject};
use acta_app::AppError;
use acta_app::applications::{ApplicationView, DispositifView, OrganisationHome};
use acta_app::grant_space::GrantView;
use acta_app::input::{
    ApplicationInput, GrantDocumentInput, HolderInput, PieceUploadInput, RegistrationInput,
};
use acta_domain::application::BUDGET_LINES;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};

/// The frame of the beneficiaries' portal: its own navigation.
fn frame(visitor: &Visitor, title: impl Into<String>) -> Frame {
    let mut f = Frame::staff(visitor, title);
    f.site = "acta — espace des bénéficiaires".to_string();
    f.script = false;
    f.nav = vec![
        NavLink {
            href: "/beneficiaires",
            label: "Mon espace",
        },
        NavLink {
            href: "/",
            label: "Portail public",
        },
    ];
    f
}

// ---- Registration -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "beneficiaries/registration.html")]
pub struct RegistrationPage {
    pub frame: Frame,
    pub typed: Typed,
}

fn registration_page(v: &Visitor, e: Option<&AppError>, typed: Typed) -> Response {
    let mut f = frame(v, "Inscrire un organisme").refused(e);
    f.account = None;
    let status = match e {
        Some(e) => crate::problem::status_of(e).0,
        None => StatusCode::OK,
    };
    render(status, &RegistrationPage { frame: f, typed })
}

pub async fn registration_form(staff: Staff) -> Response {
    registration_page(&staff.visitor, None, Typed::default())
}

pub async fn register(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    staff: Staff,
    form: Submitted<RegistrationInput>,
) -> Response {
    let client = crate::backoffice::login::client_address(&s, &headers, peer);
    match form
        .then(async |input| s.acta.register_organisation(input, client.as_deref()).await)
        .await
    {
        Ok(done) => {
            let mut f = frame(&staff.visitor, "Inscription enregistrée");
            f.account = None;
            render(
                StatusCode::OK,
                &MessagePage {
                    frame: f,
                    message: format!(
                        "Un lien de confirmation est envoyé à {}. Votre compte « {} » s'ouvrira quand vous l'aurez suivi.",
                        done.email, done.login
                    ),
                    back: Some(("/connexion?suite=/beneficiaires", "Se connecter")),
                },
            )
        }
        Err(e) => registration_page(&staff.visitor, Some(&e), Typed::new(form.echo())),
    }
}

/// The link of the confirmation message: opens the account.
pub async fn confirm(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(token): PathParams<String>,
) -> Response {
    let result = s.acta.confirm_account(&token).await;
    let mut f = frame(&staff.visitor, "Confirmation de l'adresse");
    f.account = None;
    match result {
        Ok(login) => render(
            StatusCode::OK,
            &MessagePage {
                frame: f,
                message: format!("Votre adresse est confirmée : le compte « {login} » est ouvert."),
                back: Some(("/connexion?suite=/beneficiaires", "Se connecter")),
            },
        ),
        Err(e) => {
            let (status, _) = crate::problem::status_of(&e);
            render(
                status,
                &MessagePage {
                    frame: f.refused(Some(&e)),
                    message: String::new(),
                    back: Some(("/beneficiaires/inscription", "Inscrire un organisme")),
                },
            )
        }
    }
}

// ---- The organisation's space -----------------------------------------------------------

#[derive(Template)]
#[template(path = "beneficiaries/home.html")]
pub struct HomePage {
    pub frame: Frame,
    pub typed: Typed,
    pub home: OrganisationHome,
}

page_subject! {
    /// The organisation's own space.
    Home(()): () => () = ();
    url = "/beneficiaires".to_string();
    build = |s, v, e, typed| {
        let home = s.acta.organisation_home(&v.actor()).await?;
        HomePage {
            frame: frame(v, home.name.clone()).refused(e),
            typed,
            home,
        }
    };
}

#[rustfmt::skip]
pub fn add_colleague(m: MethodFilter) -> MethodRouter<AppState> { form::<Home, _, _, _>(m, "personnes", |a, r, (), i: HolderInput| async move { a.add_colleague(&r, &i).await }) }

// ---- Applications -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "beneficiaries/new_application.html")]
pub struct NewApplicationPage {
    pub frame: Frame,
    pub typed: Typed,
    pub dispositif: DispositifView,
    pub budget: String,
}

fn empty_budget() -> String {
    acta_app::input::applications::budget_lines_for_editing(&Default::default()).join("\n")
}

page_subject! {
    /// The form of a new application to a dispositif.
    NewApplication(id): i64 => i64 = id;
    url = format!("/beneficiaires/dispositifs/{id}/demande");
    build = |s, v, e, typed| {
        let dispositif = s.acta.dispositif(id).await?;
        let budget = match typed.get("budget") {
            "" => empty_budget(),
            t => t.to_string(),
        };
        NewApplicationPage {
            frame: frame(v, format!("Demande de subvention – {}", dispositif.name)).refused(e),
            typed,
            dispositif,
            budget,
        }
    };
}

#[rustfmt::skip]
pub fn start_application(m: MethodFilter) -> MethodRouter<AppState> { crate::writes::create::<NewApplication, _, _, _>(m, "demande", |a, r, id, i: ApplicationInput| async move { a.start_application(&r, id, &i).await }, |_, id| format!("/beneficiaires/demandes/{id}")) }

#[derive(Template)]
#[template(path = "beneficiaries/application.html")]
pub struct ApplicationPage {
    pub frame: Frame,
    pub typed: Typed,
    pub base: String,
    pub a: ApplicationView,
    pub budget: String,
    pub lines: Vec<(&'static str, &'static str)>,
}

page_subject! {
    /// One of the organisation's applications.
    OwnApplication(id): i64 => i64 = id;
    url = format!("/beneficiaires/demandes/{id}");
    build = |s, v, e, typed| {
        let a = s.acta.my_application(&v.actor(), id).await?;
        let budget = match typed.form_get("modification", "budget") {
            "" => a.budget_input.join("\n"),
            t => t.to_string(),
        };
        ApplicationPage {
            frame: frame(v, format!("Demande – {}", a.purpose)).refused(e),
            typed,
            base: format!("/beneficiaires/demandes/{id}"),
            a,
            budget,
            lines: BUDGET_LINES.iter().map(|(c, l, _)| (*c, *l)).collect(),
        }
    };
}

#[rustfmt::skip]
pub fn edit_application(m: MethodFilter) -> MethodRouter<AppState> { form::<OwnApplication, _, _, _>(m, "modification", |a, r, id, i: ApplicationInput| async move { a.edit_application(&r, id, &i).await }) }

#[rustfmt::skip]
pub fn submit_application(m: MethodFilter) -> MethodRouter<AppState> { form::<OwnApplication, _, _, _>(m, "depot", |a, r, id, _: crate::api_acts::Nothing| async move { a.acta.submit_application(&r, id, &a.renderer).await }) }

#[rustfmt::skip]
pub fn upload_piece(m: MethodFilter) -> MethodRouter<AppState> { crate::writes::upload_form::<OwnApplication, _, _, _, _>(m, "pieces", |a, r, id, i: PieceUploadInput, f: Upload| async move { a.upload_piece(&r, id, &i.piece, &f.file_name, &f.bytes).await }, |id, _| format!("/beneficiaires/demandes/{id}#pieces")) }

pub async fn application_file(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, file)): PathParams<(i64, i64)>,
) -> Response {
    let found = s.acta.my_application_file(&staff.actor, id, file).await;
    crate::pages::stored_file(&staff.visitor, found)
}

// ---- Grants -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "beneficiaries/grant.html")]
pub struct GrantPage {
    pub frame: Frame,
    pub typed: Typed,
    pub base: String,
    pub g: GrantView,
}

page_subject! {
    /// One of the organisation's grants.
    OwnGrant(id): i64 => i64 = id;
    url = format!("/beneficiaires/aides/{id}");
    build = |s, v, e, typed| {
        let g = s.acta.my_grant(&v.actor(), id).await?;
        GrantPage {
            frame: frame(v, format!("Aide – {}", g.purpose)).refused(e),
            typed,
            base: format!("/beneficiaires/aides/{id}"),
            g,
        }
    };
}

#[rustfmt::skip]
pub fn send_grant_document(m: MethodFilter) -> MethodRouter<AppState> { crate::writes::upload_form::<OwnGrant, _, _, _, _>(m, "documents", |a, r, id, i: GrantDocumentInput, f: Upload| async move { a.send_grant_document(&r, id, &i, &f.file_name, &f.bytes).await }, |id, _| format!("/beneficiaires/aides/{id}#documents")) }

pub async fn grant_file(
    State(s): State<AppState>,
    staff: Staff,
    PathParams((id, file)): PathParams<(i64, i64)>,
) -> Response {
    let found = s.acta.my_grant_file(&staff.actor, id, file).await;
    crate::pages::stored_file(&staff.visitor, found)
}

pub async fn convention_pdf(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(id): PathParams<i64>,
) -> Response {
    let document = s
        .acta
        .my_convention_document(&staff.actor, id, s.renderer.config())
        .await;
    let name = format!("convention-aide-{id}.pdf");
    crate::pages::pdf_download(&s, &staff.visitor, &name, document).await
}
