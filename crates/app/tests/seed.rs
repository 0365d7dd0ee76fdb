//! The seed case, loaded by `acta demo`, holds every fact of shared/seed/ — on SQLite and
//! on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_app::{Acta, Actor, FixedClock};
use acta_domain::collectivity::ScopeList;
use acta_domain::report::Opinion;
use acta_domain::vote::Outcome;
use acta_store::testing::TestDatabase;
use common::{award_key, sitting_key};

fn acta(db: &TestDatabase) -> Acta {
    Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2026-11-28T09:00:00Z".parse().unwrap()))
}

fn plain(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

#[tokio::test]
async fn the_demo_holds_the_seed_deliberation() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = acta(&db);
        acta.load_demo(&Actor::new("demo")).await.unwrap();
        let d = acta.deliberation_view("2023-479").await.unwrap();
        let on = db.name();

        assert_eq!(d.number.as_deref(), Some("2023-479"), "{on}");
        assert_eq!(d.date.to_string(), "2023-11-20");
        assert_eq!(
            d.title,
            "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023"
        );
        assert_eq!(
            d.collectivity.as_deref(),
            Some("Département du Pas-de-Calais")
        );
        assert_eq!(d.body.name, "Commission permanente");
        assert_eq!(d.president.as_deref(), Some("M. Jean-Claude LEROY"));
        assert_eq!(d.secretary.as_deref(), Some("Mme Maryse DELASSUS"));
        assert_eq!(d.report_number, Some(20));
        let m = d.matter.as_ref().unwrap();
        assert_eq!(
            (m.code.as_str(), m.label.as_deref()),
            ("7.5", Some("Subventions"))
        );

        let a = &d.attendance;
        assert_eq!(a.present.len(), 42);
        assert_eq!(
            a.present.first().map(String::as_str),
            Some("M. Jean-Claude LEROY")
        );
        assert_eq!(
            a.present.last().map(String::as_str),
            Some("Mme Emmanuelle LEVEUGLE")
        );
        assert!(a.present.contains(&"Mme Maïté MULOT-FRISCOURT".to_string()));
        assert_eq!(a.excused, ["M. Pierre GEORGET", "Mme Stéphanie RIGAUX"]);
        assert!(a.absent.is_empty());
        assert_eq!(
            a.present_without_vote,
            [
                "M. Jean-Louis COTTIGNY",
                "M. Bertrand PETIT",
                "M. Jean-Marc TELLIER"
            ]
        );
        assert_eq!(a.excused_without_vote, ["M. Michel DAGBERT"]);
        // The seed names no proxy: none is invented.
        assert!(a.proxies.is_empty());

        assert_eq!(d.visas.len(), 6);
        assert_eq!(
            d.visas[3],
            "Vu la délibération n°2021-257 du Conseil départemental en date du 01/07/2021 « Délégation d’attributions à la Commission Permanente » ;"
        );
        assert!(d.visas[5].contains("06/11/2023"));
        assert_eq!(d.articles.len(), 3);
        assert!(d.articles[0].text[0].starts_with("D’attribuer à la Chambre de Métiers"));
        assert!(d.articles[1].text[0].starts_with("D’autoriser le Président"));
        assert!(d.articles[2].budget_table);

        let v = d.vote.as_ref().unwrap();
        assert_eq!(
            (v.for_, v.against, v.abstention, v.not_participating),
            (44, 0, 0, 0)
        );
        assert_eq!(
            v.groups_for,
            [
                "Groupe Socialiste, Républicain et Citoyen",
                "Groupe Communiste et Républicain",
                "Groupe Union pour le Pas-de-Calais",
                "Groupe Rassemblement National",
                "Non-inscrit"
            ]
        );
        assert_eq!(v.outcome, Outcome::Adopted);
        assert_eq!(v.outcome_label, "Adopté");

        assert_eq!(d.budget.len(), 1);
        let row = &d.budget[0];
        assert_eq!(row.operation_code, "C01-620A06");
        assert_eq!(row.imputation, "6568//9361");
        assert_eq!(row.label, "PARTENARIAT - ARTISANAT");
        assert_eq!(plain(&row.voted.figure), "140 000,00");
        assert_eq!(plain(&row.available.figure), "120 000,00");
        assert_eq!(plain(&row.proposed.text), "120 000,00 €");
        assert_eq!(plain(&row.balance.figure), "0,00");

        assert_eq!(d.awards.len(), 1);
        let award = &d.awards[0];
        assert_eq!(
            award.beneficiary.name,
            "Chambre de Métiers et de l’Artisanat de région Hauts-de-France"
        );
        assert_eq!(award.beneficiary.siret.as_deref(), Some("13002374000439"));
        assert_eq!(
            award.beneficiary.siret_grouped.as_deref(),
            Some("130 023 740 00439")
        );
        assert_eq!(award.amount.centimes, 12_000_000);
        assert_eq!(award.year, 2023);

        assert_eq!(d.place, "ARRAS");
        assert_eq!(d.signatories.len(), 2);
        assert_eq!(d.signatories[0].name, "Jean-Claude LEROY");
        assert_eq!(
            d.signatories[1].on_behalf_of.as_deref(),
            Some("Pour le Président du Conseil départemental,")
        );
        assert_eq!(
            d.signatories[1].capacity,
            "La Directrice générale des services,"
        );
        assert_eq!(d.signatories[1].name, "Maryline VINCLAIRE");
        assert!(d.signatories[1].signed);
        assert_eq!(d.conventions.len(), 1);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_demo_holds_the_sitting_report_and_convention() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = acta(&db);
        acta.load_demo(&Actor::new("demo")).await.unwrap();

        let s = acta.sitting_view(&sitting_key("2023-11-20")).await.unwrap();
        assert_eq!(s.body.name, "Commission permanente");
        assert_eq!(
            (
                s.counts.present,
                s.counts.excused,
                s.counts.present_without_vote,
                s.counts.excused_without_vote
            ),
            (42, 2, 3, 1)
        );
        assert_eq!(s.agenda.len(), 1);
        assert_eq!(s.agenda[0].report_number, 20);
        assert_eq!(s.agenda[0].deliberation_number.as_deref(), Some("2023-479"));
        // 44 votes for 42 members present and no proxy in the text: shown, not hidden.
        let vote = s.agenda[0].vote.as_ref().unwrap();
        assert_eq!(
            vote.quorum,
            "42 présents ou représentés sur 44 en exercice, quorum 23 : atteint"
        );
        assert_eq!(vote.flags.len(), 1);
        assert!(vote.flags[0].starts_with("44 voix décomptées pour 42 présent(s) et 0 pouvoir(s) enregistré(s) : 2 voix ne sont pas justifiées. Membres qui ont pu donner pouvoir : M. Pierre GEORGET, Mme Stéphanie RIGAUX."), "{}", vote.flags[0]);

        let c = acta.convention_view(&award_key("2023-479")).await.unwrap();
        assert_eq!(c.title, "Convention d’objectifs et de partenariat 2023");
        assert_eq!(c.year, 2023);
        assert_eq!(c.amount.centimes, 12_000_000);
        assert_eq!(c.status_label, "projet");
        assert!(c.signed_on.is_none());
        assert_eq!(c.schedule.len(), 2);
        assert_eq!(c.schedule[0].amount.centimes, 10_000_000);
        assert_eq!(
            c.schedule[0].trigger,
            "à la signature de la convention sur appel à versement"
        );
        assert_eq!(c.schedule[1].amount.centimes, 2_000_000);
        assert_eq!(c.schedule[1].label.as_deref(), Some("le solde"));
        assert_eq!(
            c.schedule[1].document_due.map(|d| d.to_string()).as_deref(),
            Some("2024-06-30")
        );
        let account = c.bank_account.as_ref().unwrap();
        assert_eq!(account.rib.as_deref(), Some("13507-00100-30765812164-66"));
        assert_eq!(account.iban, "FR7613507001003076581216466");
        assert_eq!(account.bank_name, "Banque Populaire du Nord");
        assert_eq!(account.holder, "CMA de région Hauts-de-France");
        let r = c.beneficiary_representative.as_ref().unwrap();
        assert_eq!(r.name, "Mme Marie-José ORLOF");
        assert_eq!(
            r.capacity,
            "Présidente de la Délégation Départementale du Pas-de-Calais"
        );
        assert_eq!(
            r.appointed_on.map(|d| d.to_string()).as_deref(),
            Some("2023-05-02")
        );
        assert_eq!(
            c.department_representative,
            "M. Jean-Claude LEROY, Président du Conseil départemental"
        );
        assert_eq!(c.court, "tribunal administratif de LILLE");
        assert!(!c.tacit_renewal);
        assert_eq!(c.reimbursement_cases.len(), 5);
        assert_eq!((c.signature_place.as_str(), c.copies), ("Arras", 2));
        assert_eq!(c.content.visas.len(), 8);
        assert_eq!(c.content.objectives.len(), 2);
        assert_eq!(c.content.programme.len(), 2);
        assert_eq!(c.content.beneficiary_commitments.len(), 6);
        assert_eq!(c.signatories[1].name, "Marie-José ORLOF");

        // The report and the commission's opinion.
        let mut tx = acta.store().read().await.unwrap();
        let reports = tx.reports_of(acta_domain::Id::new(s.id)).await.unwrap();
        let report = &reports[0];
        assert_eq!(report.number, 20);
        assert_eq!(report.sections.len(), 4);
        assert_eq!(
            report.sections[3].heading,
            "La participation au titre de 2023 :"
        );
        assert_eq!(report.scope.territories, ScopeList::All);
        assert_eq!(report.scope.territories_label(), "Tous les territoires");
        let opinion = report.commission_opinion.as_ref().unwrap();
        assert_eq!(opinion.opinion, Opinion::Favorable);
        assert_eq!(opinion.date.to_string(), "2023-11-06");
        let commission = tx.body(opinion.commission).await.unwrap().unwrap();
        assert_eq!(
            commission.display_name(),
            "1ère commission – Attractivité départementale et emploi"
        );
        let pole = tx.service(report.pole.unwrap()).await.unwrap().unwrap();
        assert_eq!(pole.name, "Pôle Aménagement et Développement Territorial");
        // 44 members with a deliberative vote in the Commission permanente, 4 without.
        let mandates = tx
            .mandates_in(acta_domain::Id::new(s.body.id))
            .await
            .unwrap();
        assert_eq!(mandates.iter().filter(|m| m.voting).count(), 44);
        assert_eq!(mandates.iter().filter(|m| !m.voting).count(), 4);
        drop(tx);

        let report = acta.verify_journal(|_| {}).await.unwrap();
        assert!(report.intact);
        assert!(report.entries > 100);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn loading_the_demo_twice_is_refused_and_changes_nothing() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = acta(&db);
        acta.load_demo(&Actor::new("demo")).await.unwrap();
        let before = acta.journal_size().await.unwrap();
        let err = acta.load_demo(&Actor::new("demo")).await.unwrap_err();
        assert!(err.to_string().contains("déjà une collectivité"), "{err}");
        assert_eq!(acta.journal_size().await.unwrap(), before);
        assert_eq!(db.count("member").await.unwrap(), 48);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_dataset_with_one_bad_rib_key_writes_nothing() {
    let text = acta_app::demo::SEED_DATASET.replace("30765812164-66", "30765812164-67");
    let dataset = acta_app::dataset::Dataset::from_toml(&text).unwrap();
    for db in TestDatabase::all().await.unwrap() {
        let acta = acta(&db);
        let err = acta
            .load_dataset(&Actor::new("demo"), &dataset)
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("bénéficiaire « cma »"), "{message}");
        assert!(message.contains("RIB"), "{message}");
        assert!(
            message.contains("la clé RIB devrait être 66, pas 67"),
            "{message}"
        );
        assert_eq!(acta.journal_size().await.unwrap(), 0, "{}", db.name());
        assert_eq!(db.count("collectivity").await.unwrap(), 0);
        assert_eq!(db.count("member").await.unwrap(), 0);
        db.cleanup().await.unwrap();
    }
}
