//! Grants after the vote: beneficiaries and their bank details, budget lines, the awards
//! and each one's convention, schedule, documents received, payments, reimbursements and
//! amendments, the documents overdue, and the files to download.

use super::{Fields, field, form, input, may, options, refused_page, see_other, staff_page, text};
use crate::AppState;
use crate::session::Visitor;
use acta_app::AppError;
use acta_app::execution::{NewAmendment, NewConvention, TrancheSpec};
use acta_app::grant_input::ReimbursementInput;
use acta_app::grants::NewBudgetLine;
use acta_app::input::{AddressInput, BankAccountInput, BeneficiaryInput};
use acta_domain::Id;
use acta_domain::french::format_date_long;
use acta_domain::text::escape_html as escape;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};

fn optional(fields: &Fields, name: &str) -> Option<String> {
    field(fields, name).map(str::to_string)
}

fn show(visitor: &Visitor, title: &str, main: String, error: Option<&AppError>) -> Response {
    match error {
        Some(e) => refused_page(visitor, title, e, &main),
        None => staff_page(visitor, title, &main).into_response(),
    }
}

// ---- Beneficiaries ------------------------------------------------------------------

async fn beneficiaries_page(
    state: &AppState,
    visitor: &Visitor,
    error: Option<(&AppError, &Fields)>,
) -> Response {
    let list = match state.acta.beneficiary_choices().await {
        Ok(l) => l,
        Err(e) => return super::error_page(visitor, e),
    };
    let mut main = String::from(
        "<table><caption>Bénéficiaires</caption><thead><tr><th scope=\"col\">Nom</th><th scope=\"col\">SIRET</th></tr></thead><tbody>\n",
    );
    for b in &list {
        main.push_str(&format!(
            "<tr><td><a href=\"/gestion/beneficiaires/{}\">{}</a></td><td>{}</td></tr>\n",
            b.id,
            escape(&b.name),
            escape(b.siret.as_deref().unwrap_or("—"))
        ));
    }
    main.push_str("</tbody></table>\n");
    if may(visitor, "/gestion/beneficiaires") {
        let empty = Fields::new();
        let f = error.map_or(&empty, |(_, f)| f);
        let fields = [
            input("nom", "Nom", text(f, "nom"), " required size=\"60\""),
            input(
                "nom_court",
                "Nom court (dans les textes)",
                text(f, "nom_court"),
                "",
            ),
            input(
                "statut",
                "Statut juridique (ex. association loi 1901)",
                text(f, "statut"),
                " required",
            ),
            input("siret", "SIRET", text(f, "siret"), ""),
            input("rna", "RNA (associations)", text(f, "rna"), ""),
            input(
                "adresse",
                "Adresse",
                text(f, "adresse"),
                " required size=\"60\"",
            ),
            input(
                "code_postal",
                "Code postal",
                text(f, "code_postal"),
                " required",
            ),
            input("ville", "Ville", text(f, "ville"), " required"),
        ]
        .concat();
        main.push_str(&form(
            visitor,
            "/gestion/beneficiaires",
            "Nouveau bénéficiaire",
            &fields,
            "Enregistrer le bénéficiaire",
        ));
    }
    show(visitor, "Bénéficiaires", main, error.map(|(e, _)| e))
}

pub async fn beneficiaries(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    beneficiaries_page(&state, &visitor, None).await
}

pub async fn add_beneficiary(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(fields): Form<Fields>,
) -> Response {
    let input = BeneficiaryInput {
        name: text(&fields, "nom").to_string(),
        short_name: optional(&fields, "nom_court"),
        designation: None,
        legal_status: text(&fields, "statut").to_string(),
        siret: optional(&fields, "siret"),
        rna: optional(&fields, "rna"),
        address: AddressInput {
            street: text(&fields, "adresse").to_string(),
            postal_code: text(&fields, "code_postal").to_string(),
            city: text(&fields, "ville").to_string(),
        },
        representative: None,
    };
    match state
        .acta
        .add_beneficiary(&super::actor(&visitor), &input)
        .await
    {
        Ok(id) => see_other(&format!("/gestion/beneficiaires/{id}")),
        Err(e) => beneficiaries_page(&state, &visitor, Some((&e, &fields))).await,
    }
}

async fn beneficiary_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: Option<(&AppError, &Fields)>,
) -> Response {
    let loaded = async {
        let b = state.acta.find_beneficiary(&id.to_string()).await?;
        let accounts = state.acta.bank_accounts(b.id).await?;
        Ok::<_, AppError>((b, accounts))
    }
    .await;
    let (b, accounts) = match loaded {
        Ok(l) => l,
        Err(e) => return super::error_page(visitor, e),
    };
    let mut main = format!(
        "<p>{} · SIRET {} · {}, {} {}</p>\n<h2>Comptes bancaires</h2>\n",
        escape(&b.legal_status),
        escape(
            &b.siret
                .as_ref()
                .map(|s| s.grouped())
                .unwrap_or_else(|| "—".into())
        ),
        escape(&b.address.street),
        escape(&b.address.postal_code),
        escape(&b.address.city),
    );
    if accounts.is_empty() {
        main.push_str("<p>Aucun compte enregistré.</p>\n");
    } else {
        main.push_str("<table><caption>Comptes</caption><thead><tr><th scope=\"col\">Titulaire</th><th scope=\"col\">Banque</th><th scope=\"col\">IBAN</th></tr></thead><tbody>\n");
        for a in &accounts {
            main.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&a.holder),
                escape(&a.bank_name),
                escape(&a.iban.grouped())
            ));
        }
        main.push_str("</tbody></table>\n");
    }
    let action = format!("/gestion/beneficiaires/{id}/comptes");
    if may(visitor, "/gestion/beneficiaires/{id}/comptes") {
        let empty = Fields::new();
        let f = error.map_or(&empty, |(_, f)| f);
        let fields = [
            input(
                "titulaire",
                "Titulaire",
                text(f, "titulaire"),
                " required size=\"40\"",
            ),
            input(
                "banque",
                "Banque",
                text(f, "banque"),
                " required size=\"40\"",
            ),
            input("iban", "IBAN", text(f, "iban"), " size=\"40\""),
            input(
                "rib",
                "ou RIB (banque-guichet-compte-clé)",
                text(f, "rib"),
                " size=\"40\"",
            ),
        ]
        .concat();
        main.push_str(&form(
            visitor,
            &action,
            "Ajouter un compte bancaire",
            &fields,
            "Enregistrer le compte",
        ));
    }
    show(visitor, &b.name, main, error.map(|(e, _)| e))
}

pub async fn beneficiary(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> Response {
    beneficiary_page(&state, &visitor, id, None).await
}

pub async fn add_bank_account(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let input = BankAccountInput {
        holder: text(&fields, "titulaire").to_string(),
        bank_name: text(&fields, "banque").to_string(),
        bank_address: None,
        iban: optional(&fields, "iban"),
        rib: optional(&fields, "rib"),
    };
    match state
        .acta
        .add_bank_account(&super::actor(&visitor), Id::new(id), &input)
        .await
    {
        Ok(_) => see_other(&format!("/gestion/beneficiaires/{id}")),
        Err(e) => beneficiary_page(&state, &visitor, id, Some((&e, &fields))).await,
    }
}

// ---- Budget lines ---------------------------------------------------------------------

async fn budget_page(
    state: &AppState,
    visitor: &Visitor,
    year: i16,
    error: Option<(&AppError, &Fields)>,
) -> Response {
    let lines = match state.acta.budget_line_choices(year).await {
        Ok(l) => l,
        Err(e) => return super::error_page(visitor, e),
    };
    let mut main = format!(
        "<form method=\"get\" action=\"/gestion/budget\"><p><label for=\"annee\">Exercice</label><input id=\"annee\" name=\"annee\" type=\"number\" value=\"{year}\"> <button type=\"submit\">Afficher</button></p></form>\n"
    );
    if lines.is_empty() {
        main.push_str("<p>Aucune ligne pour cet exercice.</p>\n");
    } else {
        main.push_str("<table><caption>Lignes budgétaires</caption><thead><tr><th scope=\"col\">Opération</th><th scope=\"col\">Libellé</th><th scope=\"col\">Imputation</th><th scope=\"col\">CP votés</th><th scope=\"col\">Disponible</th></tr></thead><tbody>\n");
        for l in &lines {
            main.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&l.row.operation_code),
                escape(&l.row.label),
                escape(&l.row.imputation),
                escape(&l.row.voted.to_string()),
                escape(&l.row.available.to_string())
            ));
        }
        main.push_str("</tbody></table>\n");
    }
    if may(visitor, "/gestion/budget") {
        let empty = Fields::new();
        let f = error.map_or(&empty, |(_, f)| f);
        let fields = [
            input(
                "ligne_annee",
                "Exercice",
                field(f, "ligne_annee").unwrap_or(&year.to_string()),
                " required",
            ),
            input(
                "operation",
                "Code d'opération (ex. C01-620A06)",
                text(f, "operation"),
                " required",
            ),
            input(
                "libelle",
                "Libellé",
                text(f, "libelle"),
                " required size=\"50\"",
            ),
            input(
                "imputation",
                "Imputation (ex. 6568//9361)",
                text(f, "imputation"),
                " required",
            ),
            input(
                "vote",
                "Crédits de paiement votés (€)",
                text(f, "vote"),
                " required",
            ),
        ]
        .concat();
        main.push_str(&form(
            visitor,
            "/gestion/budget",
            "Nouvelle ligne budgétaire",
            &fields,
            "Enregistrer la ligne",
        ));
    }
    show(
        visitor,
        &format!("Budget {year}"),
        main,
        error.map(|(e, _)| e),
    )
}

pub async fn budget(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(fields): Query<Fields>,
) -> Response {
    let year = field(&fields, "annee")
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| state.acta.today().year());
    budget_page(&state, &visitor, year, None).await
}

pub async fn add_budget_line(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Form(fields): Form<Fields>,
) -> Response {
    let year = state.acta.today().year();
    let result = async {
        let input = NewBudgetLine {
            year: super::number(&fields, "ligne_annee", "Exercice")?,
            operation_code: text(&fields, "operation").to_string(),
            label: text(&fields, "libelle").to_string(),
            imputation: text(&fields, "imputation").to_string(),
            voted: text(&fields, "vote").to_string(),
        };
        state
            .acta
            .add_budget_line(&super::actor(&visitor), &input)
            .await?;
        Ok::<_, AppError>(input.year)
    }
    .await;
    match result {
        Ok(y) => see_other(&format!("/gestion/budget?annee={y}")),
        Err(e) => budget_page(&state, &visitor, year, Some((&e, &fields))).await,
    }
}

// ---- Awards and their execution ---------------------------------------------------------

pub async fn awards(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    let list = match state.acta.award_entries(500).await {
        Ok(l) => l,
        Err(e) => return super::error_page(&visitor, e),
    };
    let mut main = String::from(
        "<p><a href=\"/gestion/echeances\">Documents en retard</a> · <a href=\"/gestion/exports\">Exports</a></p>\n<table><caption>Attributions, les plus récentes d'abord</caption><thead><tr><th scope=\"col\">Aide</th><th scope=\"col\">Bénéficiaire</th><th scope=\"col\">Montant</th><th scope=\"col\">Délibération</th><th scope=\"col\">État</th><th scope=\"col\">Convention</th></tr></thead><tbody>\n",
    );
    for a in &list {
        main.push_str(&format!(
            "<tr><td><a href=\"/gestion/aides/{id}\">n°{id}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&a.beneficiary),
            escape(&a.amount.to_string()),
            a.deliberation_number
                .as_deref()
                .map(|n| format!("<a href=\"/deliberations/{0}\">N°{0}</a>", escape(n)))
                .unwrap_or_else(|| "à voter".into()),
            a.status.label(),
            a.convention.map_or("—", |c| c.label()),
            id = a.id,
        ));
    }
    main.push_str("</tbody></table>\n");
    staff_page(&visitor, "Aides", &main).into_response()
}

async fn award_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: Option<(&AppError, &Fields)>,
) -> Response {
    let key = id.to_string();
    let execution = match state.acta.grant_execution(&key).await {
        Ok(e) => e,
        Err(e) => return super::error_page(visitor, e),
    };
    let convention = state.acta.convention_view(&key).await.ok();
    let base = format!("/gestion/aides/{id}");
    let money = |a: acta_domain::Amount| escape(&a.to_string());
    let mut main = format!(
        "<p><a href=\"/gestion/aides\">Toutes les aides</a></p>\n<p>Montant {} · versé {} · dû en tout {} · reversé {} · reste à verser {}</p>\n",
        money(execution.amount),
        money(execution.paid),
        money(execution.entitled),
        money(execution.recovered),
        money(execution.remaining_due),
    );
    match &convention {
        Some(c) => main.push_str(&format!(
            "<p>{} — {}{} · <a href=\"{base}/convention.pdf\">Convention (PDF)</a></p>\n",
            escape(&c.title),
            escape(&c.status_label),
            c.signed_on
                .map(|d| format!(", signée le {}", format_date_long(d)))
                .unwrap_or_default(),
        )),
        None => main.push_str("<p>Pas encore de convention.</p>\n"),
    }
    if !execution.tranches.is_empty() {
        main.push_str("<table><caption>Échéancier</caption><thead><tr><th scope=\"col\">Tranche</th><th scope=\"col\">Prévu</th><th scope=\"col\">Versé</th><th scope=\"col\">Annulé</th><th scope=\"col\">Reste</th><th scope=\"col\">Document attendu</th><th scope=\"col\">Reçu le</th></tr></thead><tbody>\n");
        for t in &execution.tranches {
            main.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                t.position,
                money(t.scheduled),
                money(t.paid),
                money(t.cancelled),
                money(t.remaining),
                t.document_due.map(|d| escape(&format_date_long(d))).unwrap_or_else(|| "—".into()),
                t.document_received.map(|d| escape(&format_date_long(d))).unwrap_or_else(|| "—".into()),
            ));
        }
        main.push_str("</tbody></table>\n");
    }
    for p in &execution.payments {
        main.push_str(&format!(
            "<p>Versement de {} le {} (tranche {}, mandat {})</p>\n",
            money(p.amount),
            escape(&format_date_long(p.date)),
            p.tranche,
            escape(&p.reference)
        ));
    }
    for r in &execution.receipts {
        main.push_str(&format!(
            "<p>Reçu le {} pour la tranche {} : {}</p>\n",
            escape(&format_date_long(r.received_on)),
            r.tranche,
            escape(&r.description)
        ));
    }
    for d in &execution.decisions {
        main.push_str(&format!(
            "<p>Décision du {} : {}</p>\n",
            escape(&format_date_long(d.decided_on)),
            escape(&d.explanation)
        ));
    }
    for a in &execution.amendments {
        main.push_str(&format!(
            "<p>Avenant n°{} du {} : {}</p>\n",
            a.number,
            escape(&format_date_long(a.signed_on)),
            escape(&a.object)
        ));
    }

    let empty = Fields::new();
    let f = error.map_or(&empty, |(_, f)| f);
    let status = convention.as_ref().map(|c| c.status);
    let draft = status == Some(acta_domain::convention::ConventionStatus::Draft);
    if convention.is_none() && may(visitor, "/gestion/aides/{id}/convention") {
        let fields = format!(
            "<p><label for=\"echeancier\">Échéancier, une tranche par ligne (ex. « 100 000:signature:sur-demande », « 20 000:document:rapport d'activités annuel:30/06+1 », « 50 %:date:2024-03-01 »)</label><textarea id=\"echeancier\" name=\"echeancier\" rows=\"3\" cols=\"70\" required>{}</textarea></p>\n{}{}{}",
            escape(text(f, "echeancier")),
            input(
                "tribunal",
                "Tribunal compétent (ex. tribunal administratif de LILLE)",
                text(f, "tribunal"),
                " required size=\"50\""
            ),
            input(
                "comptable",
                "Comptable assignataire",
                text(f, "comptable"),
                " size=\"50\""
            ),
            input(
                "lieu_signature",
                "Lieu de signature",
                text(f, "lieu_signature"),
                ""
            ),
        );
        main.push_str(&form(
            visitor,
            &format!("{base}/convention"),
            "Établir la convention",
            &fields,
            "Établir la convention",
        ));
    }
    if draft && may(visitor, "/gestion/aides/{id}/signature") {
        let fields = input(
            "date_signature",
            "Date de signature (AAAA-MM-JJ)",
            text(f, "date_signature"),
            " required",
        );
        main.push_str(&form(
            visitor,
            &format!("{base}/signature"),
            "Signature",
            &fields,
            "Enregistrer la signature",
        ));
    }
    if convention.is_some() && !draft {
        if may(visitor, "/gestion/aides/{id}/documents") {
            let fields = [
                input(
                    "document_tranche",
                    "Tranche",
                    text(f, "document_tranche"),
                    " required",
                ),
                input(
                    "date_reception",
                    "Reçu le (AAAA-MM-JJ)",
                    text(f, "date_reception"),
                    " required",
                ),
                input(
                    "description",
                    "Document",
                    text(f, "description"),
                    " required size=\"50\"",
                ),
            ]
            .concat();
            main.push_str(&form(
                visitor,
                &format!("{base}/documents"),
                "Document reçu",
                &fields,
                "Enregistrer la réception",
            ));
        }
        if may(visitor, "/gestion/aides/{id}/versements") {
            let fields = [
                input(
                    "versement_tranche",
                    "Tranche",
                    text(f, "versement_tranche"),
                    " required",
                ),
                input(
                    "date_versement",
                    "Date du mandat (AAAA-MM-JJ)",
                    text(f, "date_versement"),
                    " required",
                ),
                input("montant", "Montant (€)", text(f, "montant"), " required"),
                input(
                    "reference",
                    "Référence du mandat",
                    text(f, "reference"),
                    " required",
                ),
            ]
            .concat();
            main.push_str(&form(
                visitor,
                &format!("{base}/versements"),
                "Versement",
                &fields,
                "Enregistrer le versement",
            ));
        }
        if may(visitor, "/gestion/aides/{id}/reversements") {
            let reasons = options(
                [
                    ("", "— (pas de remboursement total)"),
                    ("no_accounts", "Absence totale de comptabilité"),
                    ("unjustified_use", "Utilisation injustifiée ou anormale"),
                    (
                        "partnership_not_promoted",
                        "Partenariat du Département non valorisé",
                    ),
                ]
                .map(|(v, l)| (v.to_string(), l.to_string())),
                text(f, "total"),
            );
            let fields = format!(
                "<p>Un seul motif : remboursement total, cessation d'activité, taux d'exécution, ou dépenses retenues et prévues.</p>\n<p><label for=\"total\">Remboursement total</label><select id=\"total\" name=\"total\">{reasons}</select></p>\n{}",
                [
                    input(
                        "date_cessation",
                        "Activité cessée le (AAAA-MM-JJ)",
                        text(f, "date_cessation"),
                        ""
                    ),
                    input(
                        "taux_execution",
                        "Taux d'exécution (ex. 75 %)",
                        text(f, "taux_execution"),
                        ""
                    ),
                    input(
                        "depenses_retenues",
                        "Dépenses retenues (€)",
                        text(f, "depenses_retenues"),
                        ""
                    ),
                    input(
                        "depenses_prevues",
                        "Dépenses prévues (€)",
                        text(f, "depenses_prevues"),
                        ""
                    ),
                    input(
                        "date_decision",
                        "Date de la décision (AAAA-MM-JJ)",
                        text(f, "date_decision"),
                        " required"
                    ),
                    input(
                        "titre_recette",
                        "Titre de recette",
                        text(f, "titre_recette"),
                        ""
                    ),
                ]
                .concat()
            );
            main.push_str(&form(
                visitor,
                &format!("{base}/reversements"),
                "Décision de reversement",
                &fields,
                "Enregistrer la décision",
            ));
        }
        if may(visitor, "/gestion/aides/{id}/avenants") {
            let fields = format!(
                "{}{}{}<p><label for=\"avenant_echeancier\">Nouvel échéancier (facultatif, une tranche par ligne)</label><textarea id=\"avenant_echeancier\" name=\"avenant_echeancier\" rows=\"3\" cols=\"70\">{}</textarea></p>\n{}",
                input(
                    "date_avenant",
                    "Signé le (AAAA-MM-JJ)",
                    text(f, "date_avenant"),
                    " required"
                ),
                input("objet", "Objet", text(f, "objet"), " required size=\"60\""),
                input(
                    "avenant_montant",
                    "Nouveau montant (€, facultatif)",
                    text(f, "avenant_montant"),
                    ""
                ),
                escape(text(f, "avenant_echeancier")),
                input(
                    "fin_execution",
                    "Nouvelle fin d'exécution (facultatif)",
                    text(f, "fin_execution"),
                    ""
                ),
            );
            main.push_str(&form(
                visitor,
                &format!("{base}/avenants"),
                "Avenant",
                &fields,
                "Enregistrer l'avenant",
            ));
        }
    }
    show(
        visitor,
        &format!("Aide n°{id}"),
        main,
        error.map(|(e, _)| e),
    )
}

pub async fn award(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> Response {
    award_page(&state, &visitor, id, None).await
}

/// After an execution form: back to the aid's page, or the page again with the error.
async fn answer(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    fields: &Fields,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("/gestion/aides/{id}")),
        Err(e) => award_page(state, visitor, id, Some((&e, fields))).await,
    }
}

fn tranche(fields: &Fields, name: &str) -> Result<u32, AppError> {
    super::number(fields, name, "Tranche")
}

pub async fn create_convention(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let input = NewConvention {
            title: None,
            schedule: TrancheSpec::parse_lines(text(&fields, "echeancier"))?,
            court: text(&fields, "tribunal").to_string(),
            paying_accountant: optional(&fields, "comptable"),
            signature_place: optional(&fields, "lieu_signature"),
        };
        state
            .acta
            .create_convention(&super::actor(&visitor), &id.to_string(), &input)
            .await
            .map(|_| ())
    }
    .await;
    answer(&state, &visitor, id, &fields, result).await
}

pub async fn sign(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = state
        .acta
        .sign_convention(
            &super::actor(&visitor),
            &id.to_string(),
            text(&fields, "date_signature"),
        )
        .await;
    answer(&state, &visitor, id, &fields, result).await
}

pub async fn receive_document(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        state
            .acta
            .receive_document(
                &super::actor(&visitor),
                &id.to_string(),
                tranche(&fields, "document_tranche")?,
                text(&fields, "date_reception"),
                text(&fields, "description"),
            )
            .await
    }
    .await;
    answer(&state, &visitor, id, &fields, result).await
}

pub async fn record_payment(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        state
            .acta
            .record_payment(
                &super::actor(&visitor),
                &id.to_string(),
                tranche(&fields, "versement_tranche")?,
                text(&fields, "date_versement"),
                text(&fields, "montant"),
                text(&fields, "reference"),
            )
            .await
            .map(|_| ())
    }
    .await;
    answer(&state, &visitor, id, &fields, result).await
}

pub async fn decide_reimbursement(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let ground = ReimbursementInput {
            total: optional(&fields, "total"),
            ceased_on: optional(&fields, "date_cessation"),
            executed: optional(&fields, "taux_execution"),
            accepted: optional(&fields, "depenses_retenues"),
            planned: optional(&fields, "depenses_prevues"),
        }
        .ground()?;
        state
            .acta
            .decide_reimbursement(
                &super::actor(&visitor),
                &id.to_string(),
                ground,
                text(&fields, "date_decision"),
                field(&fields, "titre_recette"),
            )
            .await
            .map(|_| ())
    }
    .await;
    answer(&state, &visitor, id, &fields, result).await
}

pub async fn amend(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let schedule = match field(&fields, "avenant_echeancier") {
            Some(lines) => Some(TrancheSpec::parse_lines(lines)?),
            None => None,
        };
        let input = NewAmendment {
            signed_on: text(&fields, "date_avenant").to_string(),
            object: text(&fields, "objet").to_string(),
            amount: optional(&fields, "avenant_montant"),
            schedule,
            execution_end: optional(&fields, "fin_execution"),
        };
        state
            .acta
            .amend_convention(&super::actor(&visitor), &id.to_string(), &input)
            .await
            .map(|_| ())
    }
    .await;
    answer(&state, &visitor, id, &fields, result).await
}

/// The convention as the documents render it, in PDF.
pub async fn convention_pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> Response {
    let doc = match state
        .acta
        .convention_document(&state.config, &id.to_string())
        .await
    {
        Ok(d) => d,
        Err(e) => return super::error_page(&visitor, e),
    };
    let renderer = state.renderer.clone();
    match tokio::task::spawn_blocking(move || renderer.pdf(&doc)).await {
        Ok(Ok(pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"convention-aide-{id}.pdf\""),
                ),
            ],
            pdf,
        )
            .into_response(),
        Ok(Err(e)) => super::error_page(&visitor, e.into()),
        Err(e) => super::error_page(&visitor, AppError::File(e.to_string())),
    }
}

// ---- Overdue documents and exports --------------------------------------------------------

pub async fn overdue(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    let today = state.acta.today();
    let list = match state.acta.overdue_documents(&today.to_string()).await {
        Ok(l) => l,
        Err(e) => return super::error_page(&visitor, e),
    };
    let mut main = format!("<p>Au {}.</p>\n", escape(&format_date_long(today)));
    if list.is_empty() {
        main.push_str("<p>Aucun document en retard.</p>\n");
    } else {
        main.push_str("<table><caption>Documents en retard</caption><thead><tr><th scope=\"col\">Délibération</th><th scope=\"col\">Bénéficiaire</th><th scope=\"col\">Document</th><th scope=\"col\">Attendu le</th><th scope=\"col\">Retard</th><th scope=\"col\">Somme en attente</th></tr></thead><tbody>\n");
        for o in &list {
            main.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{} (tranche {})</td><td>{}</td><td>{} jours</td><td>{}</td></tr>\n",
                escape(o.deliberation_number.as_deref().unwrap_or("—")),
                escape(&o.beneficiary),
                escape(&o.overdue.document),
                o.overdue.tranche,
                escape(&format_date_long(o.overdue.due)),
                o.overdue.days_late,
                escape(&o.overdue.amount_waiting.to_string()),
            ));
        }
        main.push_str("</tbody></table>\n");
    }
    staff_page(&visitor, "Documents en retard", &main).into_response()
}

pub async fn exports(Extension(visitor): Extension<Visitor>) -> Response {
    staff_page(
        &visitor,
        "Exports",
        r#"<ul>
<li><a href="/gestion/exports/subventions.csv">Subventions attribuées (SCDL, CSV)</a></li>
<li><a href="/donnees/deliberations.csv">Délibérations publiées (SCDL, CSV)</a></li>
<li><a href="/donnees/archives.csv">Délibérations archivées importées (CSV)</a></li>
</ul>
<p>Les documents d'une délibération (HTML et PDF) sont sur sa page publique ; la convention d'une aide sur la page de l'aide.</p>"#,
    )
    .into_response()
}

pub async fn subsidies_csv(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> Response {
    let mut out = Vec::new();
    match state.acta.export_scdl_subsidies(&mut out).await {
        Ok(_) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"subventions.csv\"",
                ),
            ],
            out,
        )
            .into_response(),
        Err(e) => super::error_page(&visitor, e),
    }
}
