//! Every route of the server, declared once: its method and path, the roles it admits,
//! what it does (in French: the OpenAPI summary), the handler, and for the API its body
//! and answer. The router, the access rule and the OpenAPI document are all built from
//! this table, so a route cannot exist without its roles and its description.
//!
//! To add a screen: an input struct in `acta_app::input` (if it writes), a use case, a
//! handler of a few lines, a template, and one entry here.

use crate::backoffice::{
    accounts, acts, applications, budget, grants, items, login, preparation, sittings,
};
use crate::writes::show;
use crate::{
    AppState, api, api_acts, api_applications, api_budget, api_preparation, api_staff,
    beneficiaries, members, openapi, portal, statics,
};
use acta_app::input as inp;
pub use acta_domain::account::{ALL_ROLES, StaffRole};
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};
use schemars::{JsonSchema, Schema, SchemaGenerator};

/// What a route does, for the rule that anonymous visitors never change anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Reads only.
    Read,
    /// Changes the register: never admits the public.
    Write,
    /// Opens or closes a session.
    Session,
}

/// A JSON schema, from the type that the handler reads or answers.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// The schema of `T`, registered among the document's components.
pub fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// A query parameter of an API route: its name, JSON type and description.
pub struct QueryParam(pub &'static str, pub &'static str, pub &'static str);

/// What the OpenAPI document says of an API route beyond its summary.
pub struct Api {
    /// The JSON body a write reads.
    pub body: Option<SchemaFn>,
    /// The status of success (200, 201, 204) and the schema of what it answers.
    pub ok: (u16, Option<SchemaFn>),
    pub query: &'static [QueryParam],
    /// The body is multipart/form-data: the fields of `body` and a file part `fichier`.
    pub multipart: bool,
}

pub struct Route {
    pub method: Method,
    /// The route as the router declares it ("/api/deliberations/{number}").
    pub path: &'static str,
    pub roles: &'static [StaffRole],
    pub purpose: Purpose,
    /// A path that exercises the route in tests ("/api/deliberations/2023-479").
    pub example: &'static str,
    /// What it does, in French.
    pub summary: &'static str,
    /// The handler, on the route's method.
    pub handler: fn(MethodFilter) -> MethodRouter<AppState>,
    /// For the JSON API: its entry in the OpenAPI document.
    pub api: Option<Api>,
}

const EVERYONE: &[StaffRole] = &ALL_ROLES;
/// Every account, elected members included: the back office's reads.
const SIGNED_IN: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
    StaffRole::Finance,
    StaffRole::ElectedMember,
];
/// Sittings, attendance, agenda, votes and numbering.
const ASSEMBLIES: &[StaffRole] = &[StaffRole::Administrator, StaffRole::AssembliesService];
/// Reports and draft deliberations: the instructing direction writes them, the
/// assemblies service checks them.
const DRAFTING: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
];
/// Awards proposed by reports.
const INSTRUCTION: &[StaffRole] = &[StaffRole::Administrator, StaffRole::Instructor];
const ADMINISTRATION: &[StaffRole] = &[StaffRole::Administrator];
/// Budget lines, bank details, payments.
const FINANCE: &[StaffRole] = &[StaffRole::Administrator, StaffRole::Finance];
/// Reimbursement decisions: the instructing direction and finance.
const RECOVERY: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::Instructor,
    StaffRole::Finance,
];

/// A step of a report's circuit: any staff role may be named in a circuit; the domain
/// checks that the account is the step's.
const STEPS: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
    StaffRole::Finance,
];
/// The elected members' own space.
const MEMBERS: &[StaffRole] = &[StaffRole::ElectedMember];
/// The beneficiaries' own space: a person of an organisation, for that organisation only.
const ORGANISATIONS: &[StaffRole] = &[StaffRole::Beneficiary];
/// Every account that logs in: staff, elected members and organisations.
const ACCOUNTS: &[StaffRole] = &[
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
    StaffRole::Finance,
    StaffRole::ElectedMember,
    StaffRole::Beneficiary,
];

type Handler = fn(MethodFilter) -> MethodRouter<AppState>;

// The four kinds of entries, one line each: a page or a file (GET), a form (POST), and
// the API's reads and writes with what the OpenAPI document says of them.
#[rustfmt::skip]
#[allow(clippy::too_many_arguments)]
const fn entry(method: Method, purpose: Purpose, path: &'static str, roles: &'static [StaffRole], example: &'static str, summary: &'static str, handler: Handler, api: Option<Api>) -> Route {
    Route { method, path, roles, purpose, example, summary, handler, api }
}
#[rustfmt::skip]
const fn page(path: &'static str, roles: &'static [StaffRole], example: &'static str, summary: &'static str, handler: Handler) -> Route {
    entry(Method::GET, Purpose::Read, path, roles, example, summary, handler, None)
}
#[rustfmt::skip]
const fn form(path: &'static str, roles: &'static [StaffRole], example: &'static str, summary: &'static str, handler: Handler) -> Route {
    entry(Method::POST, Purpose::Write, path, roles, example, summary, handler, None)
}
#[rustfmt::skip]
const fn api_read(path: &'static str, roles: &'static [StaffRole], example: &'static str, summary: &'static str, handler: Handler, answer: Option<SchemaFn>, query: &'static [QueryParam]) -> Route {
    entry(Method::GET, Purpose::Read, path, roles, example, summary, handler, Some(Api { body: None, ok: (200, answer), query, multipart: false }))
}
#[rustfmt::skip]
#[allow(clippy::too_many_arguments)]
const fn api_write(path: &'static str, roles: &'static [StaffRole], example: &'static str, summary: &'static str, handler: Handler, body: SchemaFn, status: u16, answer: Option<SchemaFn>) -> Route {
    entry(Method::POST, Purpose::Write, path, roles, example, summary, handler, Some(Api { body: Some(body), ok: (status, answer), query: &[], multipart: false }))
}
#[rustfmt::skip]
#[allow(clippy::too_many_arguments)]
const fn api_upload(path: &'static str, roles: &'static [StaffRole], example: &'static str, summary: &'static str, handler: Handler, fields: SchemaFn, status: u16, answer: Option<SchemaFn>) -> Route {
    entry(Method::POST, Purpose::Write, path, roles, example, summary, handler, Some(Api { body: Some(fields), ok: (status, answer), query: &[], multipart: true }))
}

const PAGE_QUERY: &[QueryParam] = &[
    QueryParam("offset", "integer", "Nombre de délibérations à sauter"),
    QueryParam("limit", "integer", "Nombre maximal (200)"),
];

const ORDERS_QUERY: &[QueryParam] = &[QueryParam(
    "annee",
    "digits",
    "Exercice budgétaire (par défaut : tous)",
)];

const YEAR_QUERY: &[QueryParam] = &[QueryParam("annee", "digits", "Exercice budgétaire")];

const SEARCH_QUERY: &[QueryParam] = &[
    QueryParam(
        "q",
        "string",
        "Mots, « expression », préfixe*, numéro ou SIRET",
    ),
    QueryParam("annee", "digits", "Année de la séance"),
    QueryParam("instance", "string", "Instance"),
    QueryParam("matiere", "string", "Matière ACTES, ex. 7.5"),
    QueryParam("beneficiaire", "string", "Bénéficiaire"),
    QueryParam(
        "type",
        "string",
        "deliberation, rapport, convention ou archive",
    ),
    QueryParam("min", "string", "Montant minimal en euros"),
    QueryParam("max", "string", "Montant maximal en euros"),
    QueryParam("limite", "digits", "Nombre de résultats (200 au plus)"),
];

/// Every route of the server. Only published acts are reachable by the public: a
/// deliberation has a number once its vote is closed, and search gives the public
/// audience only.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    // The public portal.
    page("/", EVERYONE, "/", "Accueil du portail : dernières délibérations publiées", |m| on(m, portal::home)),
    page("/recherche", EVERYONE, "/recherche?q=artisanat", "Recherche dans les actes publiés", |m| on(m, portal::search)),
    page("/deliberations/{number}", EVERYONE, "/deliberations/2023-479", "Une délibération publiée (ou archivée), en HTML", |m| on(m, portal::deliberation)),
    page("/deliberations/{number}/pdf", EVERYONE, "/deliberations/2023-479/pdf", "Une délibération publiée, en PDF/A", |m| on(m, portal::deliberation_pdf)),
    page("/donnees", EVERYONE, "/donnees", "Données ouvertes : les fichiers publiés", |m| on(m, portal::open_data)),
    page("/donnees/deliberations.csv", EVERYONE, "/donnees/deliberations.csv", "Délibérations publiées au format SCDL", |m| on(m, portal::scdl_deliberations)),
    page("/donnees/subventions.csv", EVERYONE, "/donnees/subventions.csv", "Subventions attribuées au format SCDL (décret 2017-779)", |m| on(m, portal::scdl_subsidies)),
    page("/donnees/catalogue.jsonld", EVERYONE, "/donnees/catalogue.jsonld", "Catalogue des données ouvertes (DCAT-AP, JSON-LD)", |m| on(m, portal::catalogue)),
    page("/seances/{key}", EVERYONE, "/seances/2023-11-20", "Une séance : ses actes publiés, avec leurs mentions", |m| on(m, portal::sitting)),
    page("/seances/{key}/proces-verbal.pdf", EVERYONE, "/seances/2023-11-20/proces-verbal.pdf", "Le procès-verbal signé d'une séance, une fois publié", |m| on(m, portal::minutes_pdf)),
    page("/donnees/archives.csv", EVERYONE, "/donnees/archives.csv", "Délibérations archivées importées, en CSV", |m| on(m, portal::archives_csv)),
    page("/static/gestion.js", EVERYONE, "/static/gestion.js", "Script de confort de l'espace agents", |m| on(m, statics::script)),
    page("/static/acta.css", EVERYONE, "/static/acta.css", "Feuille de style des pages", |m| on(m, statics::style)),
    // The public API.
    api_read("/api/deliberations", EVERYONE, "/api/deliberations", "Dernières délibérations publiées", |m| on(m, api::deliberations), None, PAGE_QUERY),
    api_read("/api/deliberations/{number}", EVERYONE, "/api/deliberations/2023-479", "Une délibération publiée : présences, visas, articles, vote, budget", |m| on(m, api::deliberation), None, &[]),
    api_read("/api/search", EVERYONE, "/api/search?q=chambre%20des%20metiers", "Recherche plein texte (accents, pluriels et formes des mots indifférents)", |m| on(m, api::search), None, SEARCH_QUERY),
    api_read("/api/archives/{number}", EVERYONE, "/api/archives/2023-479", "Délibérations archivées importées, avec la confiance et la ligne source de chaque champ", |m| on(m, api::archives), None, &[]),
    api_read("/api/openapi.json", EVERYONE, "/api/openapi.json", "Cette description de l'API (OpenAPI 3)", |m| on(m, openapi::document), None, &[]),
    // Sessions.
    page("/connexion", EVERYONE, "/connexion", "Formulaire de connexion", |m| on(m, login::form)),
    Route { method: Method::POST, path: "/connexion", roles: EVERYONE, purpose: Purpose::Session, example: "/connexion", summary: "Ouvre une session (identifiant, mot de passe)", handler: |m| on(m, login::log_in), api: None },
    Route { method: Method::POST, path: "/deconnexion", roles: ACCOUNTS, purpose: Purpose::Session, example: "/deconnexion", summary: "Ferme la session", handler: |m| on(m, login::log_out), api: None },
    api_read("/api/session", ACCOUNTS, "/api/session", "La session ouverte (par POST /connexion) : compte, rôle et jeton CSRF à envoyer dans l'en-tête X-CSRF-Token de chaque écriture", |m| on(m, api_staff::session), Some(schema_of::<api_staff::SessionInfo>), &[]),
    // The back office: sittings.
    page("/gestion", SIGNED_IN, "/gestion", "Espace agents : les séances", |m| on(m, show::<sittings::Sittings>)),
    form("/gestion/seances", ASSEMBLIES, "/gestion/seances", "Crée une séance", sittings::create),
    page("/gestion/seances/{id}", SIGNED_IN, "/gestion/seances/1", "Une séance : ordre du jour, appel, pouvoirs", |m| on(m, show::<sittings::Sitting>)),
    form("/gestion/seances/{id}/presences", ASSEMBLIES, "/gestion/seances/1/presences", "Enregistre l'appel", |m| on(m, sittings::roll_call)),
    form("/gestion/seances/{id}/pouvoirs", ASSEMBLIES, "/gestion/seances/1/pouvoirs", "Enregistre un pouvoir", sittings::proxy),
    form("/gestion/seances/{id}/mouvements", ASSEMBLIES, "/gestion/seances/1/mouvements", "Enregistre une arrivée ou un départ", sittings::movement),
    form("/gestion/seances/{id}/points", ASSEMBLIES, "/gestion/seances/1/points", "Inscrit un rapport à l'ordre du jour", sittings::add_item),
    page("/gestion/seances/{id}/points/{position}", SIGNED_IN, "/gestion/seances/1/points/1", "Un point : présence, quorum, vote, projet, attributions", |m| on(m, show::<items::Item>)),
    form("/gestion/seances/{id}/points/{position}/cloture", ASSEMBLIES, "/gestion/seances/1/points/1/cloture", "Calcule le résultat du vote, ou clôt le point et numérote", |m| on(m, items::vote)),
    form("/gestion/seances/{id}/points/{position}/attributions", INSTRUCTION, "/gestion/seances/1/points/1/attributions", "Propose une attribution", items::propose_award),
    form("/gestion/seances/{id}/points/{position}/decisions-budgetaires", FINANCE, "/gestion/seances/1/points/1/decisions-budgetaires", "Propose une décision budgétaire (BP, BS, DM, virement)", items::propose_budget_decision),
    form("/gestion/seances/{id}/points/{position}/projet", DRAFTING, "/gestion/seances/1/points/1/projet", "Enregistre le projet de délibération", items::edit_draft),
    form("/gestion/seances/{id}/proces-verbal", ASSEMBLIES, "/gestion/seances/1/proces-verbal", "Publie le procès-verbal signé", sittings::publish_minutes),
    form("/gestion/seances/{id}/points/{position}/discussions", ASSEMBLIES, "/gestion/seances/1/points/1/discussions", "Enregistre la teneur des discussions d'un point", items::set_discussion),
    form("/gestion/seances/{id}/points/{position}/avis", DRAFTING, "/gestion/seances/1/points/1/avis", "Enregistre l'avis de la commission", items::set_opinion),
    page("/gestion/credits", SIGNED_IN, "/gestion/credits?annee=2023", "Crédits d'une ligne pour un montant saisi", |m| on(m, items::credits)),
    // Before the sitting: circuits, reports in preparation, the convocation (back office).
    page("/gestion/circuits", SIGNED_IN, "/gestion/circuits", "Les circuits de validation des rapports", |m| on(m, show::<preparation::Circuits>)),
    form("/gestion/circuits", ASSEMBLIES, "/gestion/circuits", "Crée un circuit de validation", preparation::create_circuit),
    page("/gestion/rapports", SIGNED_IN, "/gestion/rapports", "Les rapports en préparation : par état, par direction, en retard", |m| on(m, show::<preparation::Reports>)),
    form("/gestion/rapports", DRAFTING, "/gestion/rapports", "Crée un rapport en préparation", preparation::create_report),
    page("/gestion/rapports/{id}", SIGNED_IN, "/gestion/rapports/1", "Un rapport en préparation : texte, circuit, historique, versions", |m| on(m, preparation::show_report)),
    form("/gestion/rapports/{id}/texte", DRAFTING, "/gestion/rapports/1/texte", "Enregistre une nouvelle version du rapport", preparation::edit_text),
    form("/gestion/rapports/{id}/soumission", DRAFTING, "/gestion/rapports/1/soumission", "Soumet le rapport à son circuit", preparation::submit),
    form("/gestion/rapports/{id}/validation", STEPS, "/gestion/rapports/1/validation", "Valide l'étape du circuit du compte", preparation::validate),
    form("/gestion/rapports/{id}/renvoi", STEPS, "/gestion/rapports/1/renvoi", "Renvoie le rapport à son auteur, avec un motif", preparation::send_back),
    form("/gestion/rapports/{id}/retrait", DRAFTING, "/gestion/rapports/1/retrait", "Retire le rapport", preparation::withdraw),
    form("/gestion/rapports/{id}/inscription", ASSEMBLIES, "/gestion/rapports/1/inscription", "Inscrit le rapport validé à l'ordre du jour", preparation::place),
    form("/gestion/rapports/{id}/report-seance", ASSEMBLIES, "/gestion/rapports/1/report-seance", "Reporte le point à une séance ultérieure de la même instance", preparation::postpone),
    page("/gestion/seances/{id}/convocation", SIGNED_IN, "/gestion/seances/1/convocation", "La convocation d'une séance : envoi, preuves par élu, présence attendue", |m| on(m, show::<preparation::Convocation>)),
    form("/gestion/seances/{id}/convocation", ASSEMBLIES, "/gestion/seances/1/convocation", "Envoie la convocation (délai légal, ou procédure d'urgence motivée)", preparation::convene),
    page("/gestion/seances/{id}/convocation/courriers.pdf", SIGNED_IN, "/gestion/seances/1/convocation/courriers.pdf", "Les convocations à imprimer pour les élus sans adresse électronique (PDF)", |m| on(m, preparation::paper_letters)),
    form("/gestion/seances/{id}/convocation/renvoi", ASSEMBLIES, "/gestion/seances/1/convocation/renvoi", "Renvoie les messages de convocation en échec", preparation::resend),
    // The elected members' space.
    page("/elus", MEMBERS, "/elus", "Espace des élus : mes séances", |m| on(m, show::<members::MemberSittings>)),
    page("/elus/convocation/{token}", MEMBERS, "/elus/convocation/0000", "Lien personnel de convocation : enregistre la première ouverture", |m| on(m, members::open_link)),
    page("/elus/seances/{id}", MEMBERS, "/elus/seances/1", "Une séance : ordre du jour, rapports, mes notes, ma réponse", |m| on(m, show::<members::MemberSittingPage>)),
    form("/elus/seances/{id}/reponse", MEMBERS, "/elus/seances/1/reponse", "Répond à la convocation : présent, absent ou pouvoir", members::reply),
    form("/elus/seances/{id}/points/{position}/note", MEMBERS, "/elus/seances/1/points/1/note", "Enregistre ma note personnelle sur un rapport", members::annotate),
    form("/elus/seances/{id}/points/{position}/interet", MEMBERS, "/elus/seances/1/points/1/interet", "Déclare un intérêt sur un point", members::declare_interest),
    // The API before the sitting.
    api_read("/api/circuits", SIGNED_IN, "/api/circuits", "Les circuits de validation", |m| on(m, api_preparation::circuits), None, &[]),
    api_write("/api/circuits", ASSEMBLIES, "/api/circuits", "Crée un circuit de validation", api_preparation::create_circuit, schema_of::<inp::CircuitInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/rapports", SIGNED_IN, "/api/rapports", "Les rapports en préparation, par état, par direction, en retard", |m| on(m, api_preparation::reports), None, &[]),
    api_write("/api/rapports", DRAFTING, "/api/rapports", "Crée un rapport en préparation", api_preparation::create_report, schema_of::<inp::NewReportDraft>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/rapports/{id}", SIGNED_IN, "/api/rapports/1", "Un rapport en préparation : texte, étapes, historique, versions", |m| on(m, api_preparation::report), None, &[]),
    api_write("/api/rapports/{id}/texte", DRAFTING, "/api/rapports/1/texte", "Enregistre une nouvelle version ; les validations qu'elle invalide tombent", api_preparation::edit_text, schema_of::<inp::ReportTextInput>, 200, None),
    api_write("/api/rapports/{id}/soumission", DRAFTING, "/api/rapports/1/soumission", "Soumet le rapport à son circuit", api_preparation::submit, schema_of::<api_acts::Nothing>, 200, None),
    api_write("/api/rapports/{id}/validation", STEPS, "/api/rapports/1/validation", "Valide l'étape du circuit du compte", api_preparation::validate, schema_of::<inp::StepDecision>, 200, None),
    api_write("/api/rapports/{id}/renvoi", STEPS, "/api/rapports/1/renvoi", "Renvoie le rapport à son auteur, avec un motif", api_preparation::send_back, schema_of::<inp::StepDecision>, 200, None),
    api_write("/api/rapports/{id}/retrait", DRAFTING, "/api/rapports/1/retrait", "Retire le rapport", api_preparation::withdraw, schema_of::<inp::ReasonInput>, 200, None),
    api_write("/api/rapports/{id}/inscription", ASSEMBLIES, "/api/rapports/1/inscription", "Inscrit le rapport validé à l'ordre du jour (date limite, ou urgence motivée)", api_preparation::place, schema_of::<inp::AgendaPlacement>, 200, Some(schema_of::<api_staff::ItemCreated>)),
    api_write("/api/rapports/{id}/report-seance", ASSEMBLIES, "/api/rapports/1/report-seance", "Reporte le point à une séance ultérieure de la même instance (motif au procès-verbal)", api_preparation::postpone, schema_of::<inp::PostponeInput>, 200, Some(schema_of::<api_staff::ItemCreated>)),
    api_write("/api/courriel", ADMINISTRATION, "/api/courriel", "Configure le serveur SMTP des convocations", api_preparation::configure_mail, schema_of::<inp::MailSettingsInput>, 204, None),
    api_write("/api/elus/courriel", ASSEMBLIES, "/api/elus/courriel", "Enregistre l'adresse électronique d'un élu", api_preparation::member_email, schema_of::<inp::MemberEmailInput>, 204, None),
    api_read("/api/seances/{id}/convocation", SIGNED_IN, "/api/seances/1/convocation", "La convocation d'une séance et les preuves d'envoi par élu", |m| on(m, api_preparation::convocation), None, &[]),
    api_write("/api/seances/{id}/convocation", ASSEMBLIES, "/api/seances/1/convocation", "Envoie la convocation (délai légal, ou procédure d'urgence motivée)", api_preparation::convene, schema_of::<inp::ConvocationInput>, 200, None),
    api_write("/api/seances/{id}/convocation/renvoi", ASSEMBLIES, "/api/seances/1/convocation/renvoi", "Renvoie les messages de convocation en échec", api_preparation::resend, schema_of::<api_acts::Nothing>, 200, None),
    api_read("/api/seances/{id}/presences-attendues", SIGNED_IN, "/api/seances/1/presences-attendues", "La présence et le quorum attendus d'après les réponses des élus", |m| on(m, api_preparation::expected), None, &[]),
    api_read("/api/elus/seances", MEMBERS, "/api/elus/seances", "Mes séances (espace des élus)", |m| on(m, api_preparation::member_sittings), None, &[]),
    api_read("/api/elus/seances/{id}", MEMBERS, "/api/elus/seances/1", "Une séance de mon espace : ordre du jour, rapports, mes notes", |m| on(m, api_preparation::member_sitting), None, &[]),
    api_write("/api/elus/seances/{id}/reponse", MEMBERS, "/api/elus/seances/1/reponse", "Répond à la convocation : present, absent ou pouvoir", api_preparation::reply, schema_of::<inp::ReplyInput>, 204, None),
    api_write("/api/elus/seances/{id}/points/{position}/note", MEMBERS, "/api/elus/seances/1/points/1/note", "Enregistre ma note personnelle sur un rapport", api_preparation::annotate, schema_of::<inp::AnnotationInput>, 204, None),
    api_write("/api/elus/seances/{id}/points/{position}/interet", MEMBERS, "/api/elus/seances/1/points/1/interet", "Déclare un intérêt sur un point", api_preparation::declare_interest, schema_of::<inp::InterestInput>, 204, None),
    // The back office: accounts.
    page("/gestion/comptes", ADMINISTRATION, "/gestion/comptes", "Les comptes", |m| on(m, show::<accounts::Accounts>)),
    form("/gestion/comptes", ADMINISTRATION, "/gestion/comptes", "Crée un compte", accounts::create),
    // The beneficiaries' portal (issue 18).
    page("/beneficiaires/inscription", EVERYONE, "/beneficiaires/inscription", "Inscription d'un organisme bénéficiaire", |m| on(m, beneficiaries::registration_form)),
    // Opens an account (inactive until its address is confirmed): as the log-in, posted by visitors without a session, from this site's pages only.
    Route { method: Method::POST, path: "/beneficiaires/inscription", roles: EVERYONE, purpose: Purpose::Session, example: "/beneficiaires/inscription", summary: "Inscrit un organisme et sa première personne ; un lien de confirmation est envoyé", handler: |m| on(m, beneficiaries::register), api: None },
    page("/beneficiaires/confirmation/{token}", EVERYONE, "/beneficiaires/confirmation/0000", "Lien de confirmation de l'adresse : ouvre le compte", |m| on(m, beneficiaries::confirm)),
    page("/beneficiaires", ORGANISATIONS, "/beneficiaires", "Espace de l'organisme : demandes, aides, dispositifs ouverts, personnes", |m| on(m, show::<beneficiaries::Home>)),
    form("/beneficiaires/personnes", ORGANISATIONS, "/beneficiaires/personnes", "Ajoute une personne à l'organisme (lien de confirmation envoyé)", beneficiaries::add_colleague),
    page("/beneficiaires/dispositifs/{id}/demande", ORGANISATIONS, "/beneficiaires/dispositifs/1/demande", "Formulaire d'une demande de subvention", |m| on(m, show::<beneficiaries::NewApplication>)),
    form("/beneficiaires/dispositifs/{id}/demande", ORGANISATIONS, "/beneficiaires/dispositifs/1/demande", "Enregistre une demande en brouillon", beneficiaries::start_application),
    page("/beneficiaires/demandes/{id}", ORGANISATIONS, "/beneficiaires/demandes/1", "Une demande de l'organisme : pièces, état, historique", |m| on(m, show::<beneficiaries::OwnApplication>)),
    form("/beneficiaires/demandes/{id}", ORGANISATIONS, "/beneficiaires/demandes/1", "Modifie le brouillon", beneficiaries::edit_application),
    form("/beneficiaires/demandes/{id}/pieces", ORGANISATIONS, "/beneficiaires/demandes/1/pieces", "Joint une pièce (type vérifié sur le contenu, taille limitée)", beneficiaries::upload_piece),
    form("/beneficiaires/demandes/{id}/depot", ORGANISATIONS, "/beneficiaires/demandes/1/depot", "Dépose la demande complète : récépissé daté", beneficiaries::submit_application),
    page("/beneficiaires/demandes/{id}/fichiers/{file}", ORGANISATIONS, "/beneficiaires/demandes/1/fichiers/1", "Un fichier d'une demande de l'organisme", |m| on(m, beneficiaries::application_file)),
    page("/beneficiaires/aides/{id}", ORGANISATIONS, "/beneficiaires/aides/1", "Une aide de l'organisme : convention, échéancier, versements", |m| on(m, show::<beneficiaries::OwnGrant>)),
    page("/beneficiaires/aides/{id}/convention.pdf", ORGANISATIONS, "/beneficiaires/aides/1/convention.pdf", "La convention à signer (PDF)", |m| on(m, beneficiaries::convention_pdf)),
    form("/beneficiaires/aides/{id}/documents", ORGANISATIONS, "/beneficiaires/aides/1/documents", "Envoie la convention contresignée ou une pièce attendue par une tranche", beneficiaries::send_grant_document),
    page("/beneficiaires/aides/{id}/fichiers/{file}", ORGANISATIONS, "/beneficiaires/aides/1/fichiers/1", "Un document envoyé pour une aide de l'organisme", |m| on(m, beneficiaries::grant_file)),
    api_read("/api/espace-beneficiaire", ORGANISATIONS, "/api/espace-beneficiaire", "Mon organisme : demandes, aides, dispositifs ouverts, personnes", |m| on(m, api_applications::home), None, &[]),
    api_write("/api/espace-beneficiaire/personnes", ORGANISATIONS, "/api/espace-beneficiaire/personnes", "Ajoute une personne à l'organisme", api_applications::add_colleague, schema_of::<inp::HolderInput>, 200, None),
    api_write("/api/espace-beneficiaire/dispositifs/{id}/demandes", ORGANISATIONS, "/api/espace-beneficiaire/dispositifs/1/demandes", "Enregistre une demande en brouillon", api_applications::start_application, schema_of::<inp::ApplicationInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/espace-beneficiaire/demandes/{id}", ORGANISATIONS, "/api/espace-beneficiaire/demandes/1", "Une demande de l'organisme", |m| on(m, api_applications::own_application), None, &[]),
    api_write("/api/espace-beneficiaire/demandes/{id}", ORGANISATIONS, "/api/espace-beneficiaire/demandes/1", "Modifie le brouillon", api_applications::edit_application, schema_of::<inp::ApplicationInput>, 204, None),
    api_upload("/api/espace-beneficiaire/demandes/{id}/pieces", ORGANISATIONS, "/api/espace-beneficiaire/demandes/1/pieces", "Joint une pièce (multipart : piece, fichier)", api_applications::upload_piece, schema_of::<inp::PieceUploadInput>, 204, None),
    api_write("/api/espace-beneficiaire/demandes/{id}/depot", ORGANISATIONS, "/api/espace-beneficiaire/demandes/1/depot", "Dépose la demande complète : récépissé daté", api_applications::submit_application, schema_of::<api_acts::Nothing>, 200, None),
    api_read("/api/espace-beneficiaire/aides/{id}", ORGANISATIONS, "/api/espace-beneficiaire/aides/1", "Une aide de l'organisme : échéancier et ce que chaque tranche attend", |m| on(m, api_applications::own_grant), None, &[]),
    api_upload("/api/espace-beneficiaire/aides/{id}/documents", ORGANISATIONS, "/api/espace-beneficiaire/aides/1/documents", "Envoie la convention contresignée ou une pièce (multipart : objet, tranche, description, fichier)", api_applications::send_grant_document, schema_of::<inp::GrantDocumentInput>, 201, Some(schema_of::<api_staff::Created>)),
    page("/gestion/dispositifs", SIGNED_IN, "/gestion/dispositifs", "Les dispositifs d'aide (appels à projets)", |m| on(m, show::<applications::Dispositifs>)),
    form("/gestion/dispositifs", INSTRUCTION, "/gestion/dispositifs", "Crée un dispositif : dates, pièces, plafond, fichiers admis", applications::create_dispositif),
    page("/gestion/demandes", SIGNED_IN, "/gestion/demandes", "Les demandes de subvention déposées", |m| on(m, show::<applications::Applications>)),
    page("/gestion/demandes/{id}", SIGNED_IN, "/gestion/demandes/1", "Une demande : pièces, budget, instruction", |m| on(m, show::<applications::Application>)),
    form("/gestion/demandes/{id}/piece", INSTRUCTION, "/gestion/demandes/1/piece", "Demande une pièce manquante, avec une échéance (courriel)", applications::request_piece),
    form("/gestion/demandes/{id}/instruction", INSTRUCTION, "/gestion/demandes/1/instruction", "Enregistre l'avis et le montant proposé (un refus est notifié)", applications::instruct),
    form("/gestion/demandes/{id}/proposition", INSTRUCTION, "/gestion/demandes/1/proposition", "Propose l'attribution au point d'une séance", applications::propose),
    form("/gestion/demandes/{id}/notification", INSTRUCTION, "/gestion/demandes/1/notification", "Notifie la décision de l'assemblée (lettre et courriel)", applications::notify),
    page("/gestion/demandes/{id}/fichiers/{file}", SIGNED_IN, "/gestion/demandes/1/fichiers/1", "Un fichier d'une demande", |m| on(m, applications::application_file)),
    page("/gestion/pieces-beneficiaires", SIGNED_IN, "/gestion/pieces-beneficiaires", "Les documents envoyés par les bénéficiaires, à examiner", |m| on(m, show::<applications::GrantDocuments>)),
    form("/gestion/pieces-beneficiaires/{id}", RECOVERY, "/gestion/pieces-beneficiaires/1", "Accepte (la tranche peut être versée, la convention est signée) ou refuse un document", applications::review),
    page("/gestion/aides/{id}/fichiers/{file}", SIGNED_IN, "/gestion/aides/1/fichiers/1", "Un document envoyé par le bénéficiaire d'une aide", |m| on(m, applications::grant_file)),
    form("/gestion/beneficiaires/fusion", INSTRUCTION, "/gestion/beneficiaires/fusion", "Fusionne un bénéficiaire en double dans celui qui est conservé", applications::merge),
    api_read("/api/dispositifs", SIGNED_IN, "/api/dispositifs", "Les dispositifs d'aide", |m| on(m, api_applications::dispositifs), None, &[]),
    api_write("/api/dispositifs", INSTRUCTION, "/api/dispositifs", "Crée un dispositif d'aide", api_applications::create_dispositif, schema_of::<inp::DispositifInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/demandes", SIGNED_IN, "/api/demandes", "Les demandes de subvention déposées", |m| on(m, api_applications::applications), None, &[]),
    api_read("/api/demandes/{id}", SIGNED_IN, "/api/demandes/1", "Une demande de subvention", |m| on(m, api_applications::application), None, &[]),
    api_write("/api/demandes/{id}/piece", INSTRUCTION, "/api/demandes/1/piece", "Demande une pièce manquante (courriel au demandeur)", api_applications::request_piece, schema_of::<inp::PieceRequestInput>, 204, None),
    api_write("/api/demandes/{id}/instruction", INSTRUCTION, "/api/demandes/1/instruction", "Enregistre l'avis de la direction", api_applications::instruct, schema_of::<inp::InstructionInput>, 200, None),
    api_write("/api/demandes/{id}/proposition", INSTRUCTION, "/api/demandes/1/proposition", "Propose l'attribution au point d'une séance", api_applications::propose, schema_of::<inp::ProposalInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_write("/api/demandes/{id}/notification", INSTRUCTION, "/api/demandes/1/notification", "Notifie la décision de l'assemblée", api_applications::notify, schema_of::<api_acts::Nothing>, 200, None),
    api_read("/api/pieces-beneficiaires", SIGNED_IN, "/api/pieces-beneficiaires", "Les documents envoyés par les bénéficiaires, à examiner", |m| on(m, api_applications::grant_documents), None, &[]),
    api_write("/api/pieces-beneficiaires/{id}", RECOVERY, "/api/pieces-beneficiaires/1", "Accepte ou refuse un document envoyé par un bénéficiaire", api_applications::review, schema_of::<inp::ReviewInput>, 200, None),
    api_write("/api/fusion-beneficiaires", INSTRUCTION, "/api/fusion-beneficiaires", "Fusionne un bénéficiaire en double", api_applications::merge, schema_of::<inp::MergeInput>, 204, None),
    form("/gestion/comptes/verrous", ADMINISTRATION, "/gestion/comptes/verrous", "Débloque un identifiant ou une adresse après trop d'échecs de connexion", |m| on(m, accounts::unlock)),
    form("/gestion/comptes/{login}/etat", ADMINISTRATION, "/gestion/comptes/cdupont/etat", "Ferme ou rouvre un compte", |m| on(m, accounts::set_active)),
    // The back office: grants after the vote.
    page("/gestion/beneficiaires", SIGNED_IN, "/gestion/beneficiaires", "Les bénéficiaires", |m| on(m, show::<grants::Beneficiaries>)),
    form("/gestion/beneficiaires", INSTRUCTION, "/gestion/beneficiaires", "Enregistre un bénéficiaire", grants::add_beneficiary),
    page("/gestion/beneficiaires/{id}", SIGNED_IN, "/gestion/beneficiaires/1", "Un bénéficiaire et ses comptes bancaires", |m| on(m, show::<grants::Beneficiary>)),
    form("/gestion/beneficiaires/{id}/comptes", FINANCE, "/gestion/beneficiaires/1/comptes", "Enregistre un compte bancaire", grants::add_bank_account),
    page("/gestion/budget", SIGNED_IN, "/gestion/budget?annee=2023", "Les lignes budgétaires d'un exercice", |m| on(m, grants::budget)),
    form("/gestion/budget", FINANCE, "/gestion/budget", "Crée une ligne budgétaire", grants::add_budget_line),
    page("/gestion/budget/lignes/{id}", SIGNED_IN, "/gestion/budget/lignes/1", "Une ligne budgétaire : crédits, engagés, disponible, historique des décisions", |m| on(m, show::<budget::Line>)),
    page("/gestion/budget/decisions", SIGNED_IN, "/gestion/budget/decisions?annee=2023", "Les décisions budgétaires d'un exercice", |m| on(m, budget::decisions)),
    page("/gestion/delegations", SIGNED_IN, "/gestion/delegations", "Les délégations du Conseil départemental à la commission permanente", |m| on(m, show::<budget::Delegations>)),
    page("/gestion/autorisations", SIGNED_IN, "/gestion/autorisations", "Les autorisations de programme et d'engagement et leurs crédits de paiement", |m| on(m, show::<budget::Authorisations>)),
    form("/gestion/autorisations", FINANCE, "/gestion/autorisations", "Enregistre une autorisation de programme ou d'engagement", budget::add_authorisation),
    form("/gestion/delegations", ASSEMBLIES, "/gestion/delegations", "Enregistre une délégation à la commission permanente", budget::add_delegation),
    page("/gestion/aides", SIGNED_IN, "/gestion/aides", "Les attributions", |m| on(m, grants::awards)),
    page("/gestion/aides/{id}", SIGNED_IN, "/gestion/aides/1", "Une aide : convention, échéancier, versements, décisions", |m| on(m, show::<grants::Aid>)),
    form("/gestion/aides/{id}/convention", INSTRUCTION, "/gestion/aides/1/convention", "Établit la convention", grants::create_convention),
    page("/gestion/aides/{id}/convention.pdf", SIGNED_IN, "/gestion/aides/1/convention.pdf", "La convention en PDF", |m| on(m, grants::convention_pdf)),
    form("/gestion/aides/{id}/signature", INSTRUCTION, "/gestion/aides/1/signature", "Enregistre la signature de la convention", grants::sign),
    form("/gestion/aides/{id}/notification", INSTRUCTION, "/gestion/aides/1/notification", "Enregistre la notification de l'attribution au bénéficiaire", grants::notify),
    form("/gestion/aides/{id}/documents", INSTRUCTION, "/gestion/aides/1/documents", "Enregistre un document reçu", grants::receive_document),
    form("/gestion/aides/{id}/versements", FINANCE, "/gestion/aides/1/versements", "Enregistre un versement", grants::record_payment),
    form("/gestion/aides/{id}/reversements", RECOVERY, "/gestion/aides/1/reversements", "Enregistre une décision de reversement", grants::decide_reimbursement),
    form("/gestion/aides/{id}/avenants", INSTRUCTION, "/gestion/aides/1/avenants", "Enregistre un avenant", grants::amend),
    page("/gestion/echeances", SIGNED_IN, "/gestion/echeances", "Documents en retard", |m| on(m, grants::overdue)),
    page("/gestion/exports", SIGNED_IN, "/gestion/exports", "Fichiers à télécharger", |m| on(m, grants::exports)),
    page("/gestion/exports/ordres.csv", FINANCE, "/gestion/exports/ordres.csv", "Ordres pour le comptable : mandats et titres (CSV)", |m| on(m, budget::orders_csv)),
    page("/gestion/exports/subventions.csv", SIGNED_IN, "/gestion/exports/subventions.csv", "Subventions attribuées au format SCDL", |m| on(m, grants::subsidies_csv)),
    // The back office: a deliberation after its vote (signature, transmission, replies).
    page("/gestion/deliberations/{number}", SIGNED_IN, "/gestion/deliberations/2023-479", "Une délibération : signature électronique, transmission à la préfecture, courriers", |m| on(m, crate::writes::show::<acts::Act>)),
    form("/gestion/deliberations/{number}/preparation", ASSEMBLIES, "/gestion/deliberations/2023-479/preparation", "Prépare la délibération pour signature", acts::prepare),
    form("/gestion/deliberations/{number}/signature", ASSEMBLIES, "/gestion/deliberations/2023-479/signature", "Signe la délibération (certificat du signataire)", acts::sign),
    form("/gestion/deliberations/{number}/publication", ASSEMBLIES, "/gestion/deliberations/2023-479/publication", "Publie la délibération sur le portail", acts::publish),
    form("/gestion/deliberations/{number}/publication/retrait", ASSEMBLIES, "/gestion/deliberations/2023-479/publication/retrait", "Enregistre le retrait de l'acte publié (il reste en ligne avec son motif)", acts::withdraw),
    page("/gestion/deliberations/{number}/signature.pdf", SIGNED_IN, "/gestion/deliberations/2023-479/signature.pdf", "La délibération signée (ou à signer) en PDF", |m| on(m, acts::signed_pdf)),
    form("/gestion/deliberations/{number}/transmission", ASSEMBLIES, "/gestion/deliberations/2023-479/transmission", "Transmet la délibération signée à la préfecture", acts::transmit),
    form("/gestion/deliberations/{number}/transmission/suivi", ASSEMBLIES, "/gestion/deliberations/2023-479/transmission/suivi", "Relève la plateforme : envois en cours, accusés, courriers", acts::follow),
    form("/gestion/deliberations/{number}/transmission/annulation", ASSEMBLIES, "/gestion/deliberations/2023-479/transmission/annulation", "Annule l'acte transmis", acts::cancel),
    page("/gestion/deliberations/{number}/transmission/{file}", SIGNED_IN, "/gestion/deliberations/2023-479/transmission/accuse", "Un fichier de la transmission : acte, accuse ou tampon", |m| on(m, acts::transmission_file)),
    page("/gestion/deliberations/{number}/courriers/{reply}", SIGNED_IN, "/gestion/deliberations/2023-479/courriers/1", "Un courrier de la préfecture", |m| on(m, acts::letter)),
    // The API after the vote.
    api_read("/api/signataires", ADMINISTRATION, "/api/signataires", "Les signataires et leurs certificats (jamais de mot de passe)", |m| on(m, api_acts::signers), Some(schema_of::<Vec<acta_app::signatures::SignerView>>), &[]),
    api_write("/api/signataires", ADMINISTRATION, "/api/signataires", "Enregistre un signataire : son certificat PKCS#12 est ouvert pour vérification", api_acts::add_signer, schema_of::<inp::SignerInput>, 204, None),
    api_read("/api/signatures/{document}/{key}", SIGNED_IN, "/api/signatures/deliberation/2023-479", "Où en est la signature d'un document (deliberation, proces-verbal, convention)", |m| on(m, api_acts::signature), Some(schema_of::<acta_app::signatures::SignatureView>), &[]),
    api_write("/api/signatures/{document}/{key}/preparation", ASSEMBLIES, "/api/signatures/deliberation/2023-479/preparation", "Prépare un document pour signature (mentions datées du jour)", api_acts::prepare, schema_of::<inp::PrepareInput>, 200, Some(schema_of::<acta_app::signatures::SignatureView>)),
    api_write("/api/signatures/{document}/{key}/signature", ASSEMBLIES, "/api/signatures/deliberation/2023-479/signature", "Signe le document préparé au nom d'un signataire enregistré", api_acts::sign, schema_of::<inp::SignInput>, 200, Some(schema_of::<acta_app::signatures::SignatureView>)),
    Route { method: Method::POST, path: "/api/verification", roles: SIGNED_IN, purpose: Purpose::Read, example: "/api/verification", summary: "Vérifie les signatures d'un PDF : signataire, intégrité, validité du certificat", handler: api_acts::verify, api: Some(Api { body: Some(schema_of::<api_acts::PdfInput>), ok: (200, Some(schema_of::<acta_app::signatures::VerificationView>)), query: &[], multipart: false }) },
    api_read("/api/transmissions/{number}", SIGNED_IN, "/api/transmissions/2023-479", "La transmission d'une délibération à la préfecture et ses courriers", |m| on(m, api_acts::transmission), Some(schema_of::<acta_app::transmissions::TransmissionStatusView>), &[]),
    api_write("/api/transmissions/{number}", ASSEMBLIES, "/api/transmissions/2023-479", "Transmet une délibération signée à la préfecture (jamais deux fois)", api_acts::transmit, schema_of::<api_acts::Nothing>, 200, Some(schema_of::<acta_app::transmissions::TransmissionStatusView>)),
    api_write("/api/suivi-transmissions", ASSEMBLIES, "/api/suivi-transmissions", "Relève la plateforme : envois en cours, accusés de réception, courriers de la préfecture", api_acts::follow, schema_of::<api_acts::Nothing>, 200, Some(schema_of::<acta_app::transmissions::TransmissionRun>)),
    api_write("/api/transmissions/{number}/annulation", ASSEMBLIES, "/api/transmissions/2023-479/annulation", "Annule un acte transmis (annulation envoyée par la plateforme)", api_acts::cancel, schema_of::<api_acts::Nothing>, 200, Some(schema_of::<acta_app::transmissions::TransmissionStatusView>)),
    api_write("/api/transmissions/{number}/courriers/{reply}/reponse", ASSEMBLIES, "/api/transmissions/2023-479/courriers/1/reponse", "Répond à une demande de pièces ou à une lettre d'observations", api_acts::answer, schema_of::<api_acts::AnswerInput>, 200, Some(schema_of::<acta_app::transmissions::TransmissionStatusView>)),
    api_write("/api/publications/{number}", ASSEMBLIES, "/api/publications/2023-479", "Publie une délibération sur le portail (PDF signé figé, mentions R3131-2)", api_acts::publish, schema_of::<inp::PublishInput>, 200, Some(schema_of::<acta_app::publications::PublicationView>)),
    api_write("/api/publications/{number}/retrait", ASSEMBLIES, "/api/publications/2023-479/retrait", "Enregistre le retrait d'un acte publié : il reste en ligne avec son motif", api_acts::withdraw, schema_of::<inp::WithdrawalInput>, 200, Some(schema_of::<acta_app::publications::PublicationView>)),
    api_write("/api/aides/{id}/notification", INSTRUCTION, "/api/aides/1/notification", "Enregistre la notification d'une attribution (décision individuelle) au bénéficiaire", api_acts::notify, schema_of::<inp::NotificationInput>, 200, Some(schema_of::<acta_app::publications::NotificationView>)),
    api_read("/api/seances/{id}/proces-verbal", SIGNED_IN, "/api/seances/1/proces-verbal", "Le procès-verbal d'une séance : approbation, signature, publication, alerte de délai", |m| on(m, api_acts::minutes), Some(schema_of::<acta_app::minutes::MinutesView>), &[]),
    api_write("/api/seances/{id}/proces-verbal", ASSEMBLIES, "/api/seances/1/proces-verbal", "Publie le procès-verbal signé (L3121-13)", api_acts::publish_minutes, schema_of::<api_acts::Nothing>, 200, Some(schema_of::<acta_app::minutes::MinutesView>)),
    api_write("/api/seances/{id}/points/{position}/discussions", ASSEMBLIES, "/api/seances/1/points/1/discussions", "Enregistre la teneur des discussions d'un point (procès-verbal)", api_acts::set_discussion, schema_of::<acta_app::minutes::DiscussionInput>, 204, None),
    // The API's writes, for the same operations.
    api_write("/api/seances", ASSEMBLIES, "/api/seances", "Crée une séance (service des assemblées)", api_staff::create_sitting, schema_of::<inp::NewSitting>, 201, Some(schema_of::<api_staff::Created>)),
    api_write("/api/seances/{id}/presences", ASSEMBLIES, "/api/seances/1/presences", "Enregistre l'appel : des élus avec un statut", api_staff::roll_call, schema_of::<inp::AttendanceInput>, 200, Some(schema_of::<api_staff::Recorded>)),
    api_write("/api/seances/{id}/points", ASSEMBLIES, "/api/seances/1/points", "Inscrit un rapport à l'ordre du jour", api_staff::add_item, schema_of::<inp::NewItem>, 201, Some(schema_of::<api_staff::ItemCreated>)),
    api_write("/api/seances/{id}/points/{position}/projet", DRAFTING, "/api/seances/1/points/1/projet", "Remplace le projet de délibération d'un point non voté", api_staff::edit_draft, schema_of::<inp::DraftInput>, 204, None),
    Route { method: Method::POST, path: "/api/seances/{id}/points/{position}/apercu", roles: SIGNED_IN, purpose: Purpose::Read, example: "/api/seances/1/points/1/apercu", summary: "Présence, quorum, décompte et majorité d'un vote, sans rien enregistrer", handler: api_staff::preview_item, api: Some(Api { body: Some(schema_of::<inp::VoteRequest>), ok: (200, None), query: &[], multipart: false }) },
    api_write("/api/seances/{id}/points/{position}/cloture", ASSEMBLIES, "/api/seances/1/points/1/cloture", "Enregistre le vote, clôt le point et numérote la délibération", api_staff::close_item, schema_of::<inp::VoteRequest>, 200, None),
    api_write("/api/attributions", INSTRUCTION, "/api/attributions", "Propose une attribution au titre d'un point", api_staff::propose_award, schema_of::<inp::NewAward>, 201, Some(schema_of::<api_staff::Created>)),
    api_write("/api/seances/{id}/pouvoirs", ASSEMBLIES, "/api/seances/1/pouvoirs", "Enregistre un pouvoir, ou le réattribue", api_staff::give_proxy, schema_of::<inp::ProxyInput>, 204, None),
    api_write("/api/seances/{id}/mouvements", ASSEMBLIES, "/api/seances/1/mouvements", "Enregistre une arrivée ou un départ", api_staff::record_movement, schema_of::<inp::MovementInput>, 204, None),
    api_write("/api/seances/{id}/points/{position}/avis", DRAFTING, "/api/seances/1/points/1/avis", "Enregistre l'avis de la commission thématique", api_staff::set_opinion, schema_of::<inp::OpinionInput>, 204, None),
    api_write("/api/beneficiaires", INSTRUCTION, "/api/beneficiaires", "Enregistre un bénéficiaire (SIRET ou RNA vérifiés)", api_staff::add_beneficiary, schema_of::<inp::BeneficiaryInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_write("/api/beneficiaires/{id}/comptes", FINANCE, "/api/beneficiaires/1/comptes", "Enregistre un compte bancaire (IBAN ou RIB)", api_staff::add_bank_account, schema_of::<inp::BankAccountInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_write("/api/lignes-budgetaires", FINANCE, "/api/lignes-budgetaires", "Crée une ligne budgétaire", api_staff::add_budget_line, schema_of::<inp::NewBudgetLine>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/lignes-budgetaires/{id}", SIGNED_IN, "/api/lignes-budgetaires/1", "Une ligne budgétaire : crédits, engagés, disponible, historique des décisions", |m| on(m, api_budget::budget_line), None, &[]),
    api_write("/api/decisions-budgetaires", FINANCE, "/api/decisions-budgetaires", "Propose une décision budgétaire au titre d'un point", api_budget::propose_budget_decision, schema_of::<inp::NewBudgetDecision>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/decisions-budgetaires", SIGNED_IN, "/api/decisions-budgetaires?annee=2023", "Les décisions budgétaires d'un exercice", |m| on(m, api_budget::budget_decisions), None, YEAR_QUERY),
    api_write("/api/delegations", ASSEMBLIES, "/api/delegations", "Enregistre une délégation à la commission permanente", api_budget::add_delegation, schema_of::<inp::DelegationInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/ordres", FINANCE, "/api/ordres?annee=2024", "Ordres pour le comptable : un mandat par versement, un titre par reversement", |m| on(m, api_budget::orders), None, ORDERS_QUERY),
    api_write("/api/autorisations", FINANCE, "/api/autorisations", "Enregistre une autorisation de programme ou d'engagement", api_budget::add_authorisation, schema_of::<inp::AuthorisationInput>, 201, Some(schema_of::<api_staff::Created>)),
    api_read("/api/autorisations", SIGNED_IN, "/api/autorisations", "Les autorisations de programme et d'engagement : engagé, reste, crédits de chaque année", |m| on(m, api_budget::authorisations), None, &[]),
    api_read("/api/delegations", SIGNED_IN, "/api/delegations", "Les délégations à la commission permanente", |m| on(m, api_budget::delegations), None, &[]),
    api_read("/api/aides/{id}", SIGNED_IN, "/api/aides/1", "L'exécution d'une aide : versé, dû, reversé, tranches", |m| on(m, api_staff::grant), None, &[]),
    api_write("/api/aides/{id}/convention", INSTRUCTION, "/api/aides/1/convention", "Établit la convention d'une aide adoptée", api_staff::create_convention, schema_of::<inp::NewConvention>, 201, Some(schema_of::<api_staff::Created>)),
    api_write("/api/aides/{id}/signature", INSTRUCTION, "/api/aides/1/signature", "Enregistre la signature de la convention", api_staff::sign_convention, schema_of::<inp::SignatureInput>, 204, None),
    api_write("/api/aides/{id}/documents", INSTRUCTION, "/api/aides/1/documents", "Enregistre un document reçu du bénéficiaire", api_staff::receive_document, schema_of::<inp::DocumentInput>, 204, None),
    api_write("/api/aides/{id}/versements", FINANCE, "/api/aides/1/versements", "Enregistre un versement sur une tranche", api_staff::record_payment, schema_of::<inp::PaymentInput>, 200, None),
    api_write("/api/aides/{id}/reversements", RECOVERY, "/api/aides/1/reversements", "Décide un reversement (titre de recette) : un seul motif", api_staff::decide_reimbursement, schema_of::<inp::ReimbursementInput>, 200, None),
    api_write("/api/aides/{id}/avenants", INSTRUCTION, "/api/aides/1/avenants", "Enregistre un avenant à la convention", api_staff::amend_convention, schema_of::<inp::NewAmendment>, 201, Some(schema_of::<api_staff::Amended>)),
];

/// The rule of a route, by method and declared path.
pub fn rule(method: &Method, path: &str) -> Option<&'static Route> {
    ROUTES
        .iter()
        .find(|r| r.method == *method && r.path == path)
}

/// Whether the role may use the route.
pub fn allows(method: &Method, path: &str, role: StaffRole) -> bool {
    // HEAD is answered by the GET route.
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    rule(method, path).is_some_and(|r| r.roles.contains(&role))
}

/// The router's method filter for a route's method.
pub fn filter(method: &Method) -> MethodFilter {
    match *method {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::DELETE => MethodFilter::DELETE,
        Method::PATCH => MethodFilter::PATCH,
        _ => MethodFilter::GET,
    }
}
