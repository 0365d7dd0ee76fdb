//! The `acta` command as users run it, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acta_store::testing::TestDatabase;
use common::{ok, output, stderr, stdout};
use serde_json::Value;
use std::process::{Command, Output};

fn acta(db: &TestDatabase, args: &[&str]) -> Output {
    output(&mut common::acta(db.url.as_str(), "test"), args)
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

/// The JSON of a run expected to end with `code`.
fn json_with_exit(o: &Output, code: i32) -> Value {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn plain(v: &Value) -> String {
    v.as_str()
        .unwrap_or_default()
        .replace(['\u{202f}', '\u{a0}'], " ")
}

#[tokio::test]
async fn demo_then_show_deliberation_json_prints_the_seed_facts() {
    for db in TestDatabase::all().await.unwrap() {
        let demo = acta(&db, &["demo"]);
        assert!(demo.status.success(), "{}", stderr(&demo));
        assert!(stdout(&demo).contains("DÉLIBÉRATION N°2023-479"));
        // Running it again is harmless.
        let again = acta(&db, &["demo"]);
        assert!(again.status.success(), "{}", stderr(&again));
        assert!(stdout(&again).contains("déjà chargé"));

        let d = json(&acta(&db, &["show", "deliberation", "2023-479", "--json"]));
        assert_eq!(d["number"], "2023-479");
        assert_eq!(d["date"], "2023-11-20");
        assert_eq!(
            d["title"],
            "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023"
        );
        assert_eq!(d["body"]["name"], "Commission permanente");
        assert_eq!(d["president"], "M. Jean-Claude LEROY");
        assert_eq!(d["vote"]["for"], 44);
        assert_eq!(d["vote"]["against"], 0);
        assert_eq!(d["vote"]["abstention"], 0);
        assert_eq!(d["vote"]["groups_for"].as_array().unwrap().len(), 5);
        assert_eq!(d["vote"]["groups_for"][4], "Non-inscrit");
        assert_eq!(d["vote"]["outcome"], "adopted");
        assert_eq!(d["budget"][0]["operation_code"], "C01-620A06");
        assert_eq!(d["budget"][0]["imputation"], "6568//9361");
        assert_eq!(plain(&d["budget"][0]["proposed"]["text"]), "120 000,00 €");
        assert_eq!(plain(&d["budget"][0]["voted"]["text"]), "140 000,00 €");
        assert_eq!(d["budget"][0]["voted"]["centimes"], 14_000_000);
        assert_eq!(
            d["awards"][0]["beneficiary"]["name"],
            "Chambre de Métiers et de l’Artisanat de région Hauts-de-France"
        );
        assert_eq!(d["awards"][0]["beneficiary"]["siret"], "13002374000439");

        let s = json(&acta(&db, &["show", "sitting", "2023-11-20", "--json"]));
        assert_eq!(s["counts"]["present"], 42);
        let c = json(&acta(&db, &["show", "convention", "2023-479", "--json"]));
        assert_eq!(c["schedule"][1]["document_due"], "2024-06-30");
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_wrong_siret_is_refused_naming_the_field_and_nothing_is_written() {
    for db in TestDatabase::all().await.unwrap() {
        assert!(acta(&db, &["init"]).status.success());
        let out = acta(
            &db,
            &[
                "beneficiary",
                "add",
                "--name",
                "Association test",
                "--legal-status",
                "association loi 1901",
                "--siret",
                "13002374000438",
                "--street",
                "1 rue A",
                "--postal-code",
                "62000",
                "--city",
                "Arras",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains("SIRET : « 13002374000438 » est invalide"),
            "{err}"
        );
        assert!(err.contains("[siret]"), "{err}");
        let journal = json(&acta(&db, &["journal", "list", "--json"]));
        assert_eq!(journal.as_array().unwrap().len(), 0);
        let list = json(&acta(&db, &["beneficiary", "list", "--json"]));
        assert_eq!(list.as_array().unwrap().len(), 0);

        let out = acta(
            &db,
            &[
                "beneficiary",
                "add",
                "--name",
                "Association test",
                "--legal-status",
                "association loi 1901",
                "--siret",
                "13002374000439",
                "--street",
                "1 rue A",
                "--postal-code",
                "62000",
                "--city",
                "Arras",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let out = acta(
            &db,
            &[
                "bank-account",
                "add",
                "--beneficiary",
                "130 023 740 00439",
                "--holder",
                "X",
                "--bank",
                "Banque",
                "--rib",
                "13507 00100 30765812164 65",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("[rib] RIB :"), "{}", stderr(&out));
        let journal = json(&acta(&db, &["journal", "list", "--json"]));
        assert_eq!(journal.as_array().unwrap().len(), 1);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn journal_verify_reports_an_entry_altered_in_the_database() {
    for db in TestDatabase::all().await.unwrap() {
        assert!(acta(&db, &["demo"]).status.success());
        let ok = acta(&db, &["journal", "verify"]);
        assert!(ok.status.success(), "{}", stderr(&ok));
        assert!(stdout(&ok).contains("Journal intact"));

        db.execute_raw(
            "UPDATE journal SET after_json = REPLACE(after_json, '14000000', '24000000') WHERE entity = 'ligne_budgetaire'",
        )
        .await
        .unwrap();
        let altered = json_with_exit(&acta(&db, &["journal", "verify", "--json"]), 3);
        assert_eq!(altered["intact"], false);
        let seq = altered["first_break"]["seq"].as_i64().unwrap();
        let line_entry = json(&acta(&db, &["journal", "list", "--limit", "500", "--json"]))
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["entity"] == "ligne_budgetaire")
            .map(|e| e["seq"].as_i64().unwrap())
            .unwrap();
        assert_eq!(seq, line_entry, "{}", db.name());
        let text = acta(&db, &["journal", "verify"]);
        assert_eq!(text.status.code(), Some(3));
        assert!(stdout(&text).contains(&format!("première entrée en cause n°{seq}")));
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn a_record_history_is_rebuilt_from_its_changes() {
    for db in TestDatabase::all().await.unwrap() {
        assert!(acta(&db, &["demo"]).status.success());
        let all = json(&acta(
            &db,
            &["journal", "list", "--limit", "100000", "--json"],
        ));
        // A modification is stored as its changed fields only.
        let changed = all
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["diff"].is_string() && e["entity"] == "deliberation")
            .unwrap_or_else(|| panic!("no deliberation change in {all}"));
        assert!(
            changed.get("after").is_none_or(|a| a.is_null()),
            "{changed}"
        );
        let id = changed["entity_id"].as_str().unwrap();

        let history = json(&acta(
            &db,
            &["journal", "history", "deliberation", id, "--json"],
        ));
        let history = history.as_array().unwrap();
        assert!(history[0]["diff"].is_null() && history[0]["after"].is_string());
        let rebuilt = history.iter().find(|e| e["seq"] == changed["seq"]).unwrap();
        let before: serde_json::Value =
            serde_json::from_str(rebuilt["before"].as_str().unwrap()).unwrap();
        let after: serde_json::Value =
            serde_json::from_str(rebuilt["after"].as_str().unwrap()).unwrap();
        let diff: serde_json::Value =
            serde_json::from_str(changed["diff"].as_str().unwrap()).unwrap();
        for (pointer, sides) in diff.as_object().unwrap() {
            assert_eq!(before.pointer(pointer), sides.get("avant"), "{pointer}");
            assert_eq!(after.pointer(pointer), sides.get("apres"), "{pointer}");
        }

        let text = stdout(&acta(&db, &["journal", "history", "deliberation", id]));
        assert!(text.contains("  créé"), "{text}");
        assert!(text.contains(" → "), "{text}");
        let none = stdout(&acta(
            &db,
            &["journal", "history", "deliberation", "999999"],
        ));
        assert!(
            none.contains("aucune entrée pour deliberation n°999999"),
            "{none}"
        );
        db.cleanup().await.unwrap();
    }
}

const PRESENT: [&str; 42] = [
    "Jean-Claude LEROY",
    "Mireille HINGREZ-CÉRÉDA",
    "Daniel MACIEJASZ",
    "Valérie CUVILLIER",
    "Blandine DRAIN",
    "Maryse CAUWET",
    "Ludovic LOQUET",
    "Bénédicte MESSEANNE-GROBELNY",
    "Jean-Claude DISSAUX",
    "Laurence LOUCHAERT",
    "Laurent DUPORGE",
    "Karine GAUTHIER",
    "Alain MEQUIGNON",
    "Evelyne NACHEL",
    "Florence WOZNY",
    "Jean-Jacques COTTEL",
    "Caroline MATRAT",
    "Sébastien CHOCHOIS",
    "Sophie WAROT-LEMAIRE",
    "André KUCHCINSKI",
    "Fatima AIT-CHIKHEBBIH",
    "Carole DUBOIS",
    "Olivier BARBARIN",
    "Zohra OUAGUEF",
    "Etienne PERIN",
    "Maryse DELASSUS",
    "Claude BACHELET",
    "Maïté MULOT-FRISCOURT",
    "Bruno COUSEIN",
    "Philippe FAIT",
    "Emmanuelle LAPOUILLE",
    "Alexandre MALFAIT",
    "Sylvie MEYFROIDT",
    "Frédéric MELCHIOR",
    "Brigitte PASSEBOSC",
    "François LEMAIRE",
    "Marc SARPAUX",
    "Marie-Line PLOUVIEZ",
    "Steeve BRIOIS",
    "Ludovic PAJOT",
    "René HOCQ",
    "Emmanuelle LEVEUGLE",
];

#[tokio::test]
async fn the_seed_sitting_replayed_from_the_cli_ends_with_the_seed_result() {
    for db in TestDatabase::all().await.unwrap() {
        let date = "2023-11-20";
        ok(acta(&db, &["demo", "--referential-only"]));
        ok(acta(
            &db,
            &[
                "numbering",
                "set",
                "--body",
                "cp",
                "--year",
                "2023",
                "--last",
                "478",
            ],
        ));
        ok(acta(
            &db,
            &[
                "sitting",
                "create",
                "--body",
                "cp",
                "--date",
                date,
                "--president",
                "Jean-Claude LEROY",
                "--secretary",
                "Maryse DELASSUS",
            ],
        ));
        let mut present = vec!["attendance", date, "present"];
        present.extend(PRESENT);
        ok(acta(&db, &present));
        ok(acta(
            &db,
            &[
                "attendance",
                date,
                "excuse",
                "Pierre GEORGET",
                "Stéphanie RIGAUX",
            ],
        ));
        ok(acta(
            &db,
            &[
                "attendance",
                date,
                "sans_voix",
                "Jean-Louis COTTIGNY",
                "Bertrand PETIT",
                "Jean-Marc TELLIER",
            ],
        ));
        ok(acta(
            &db,
            &["attendance", date, "excuse_sans_voix", "Michel DAGBERT"],
        ));
        ok(acta(
            &db,
            &[
                "item",
                "add",
                date,
                "--report",
                "20",
                "--matter",
                "7.5",
                "--title",
                "CHAMBRE DE MÉTIERS ET DE L'ARTISANAT RÉGION HAUTS-DE-FRANCE - PARTICIPATION 2023",
            ],
        ));
        ok(acta(
            &db,
            &[
                "award",
                "propose",
                date,
                "1",
                "--beneficiary",
                "130 023 740 00439",
                "--budget-line",
                "C01-620A06",
                "--amount",
                "120 000",
                "--year",
                "2023",
                "--kind",
                "participation",
                "--purpose",
                "la réalisation du programme d'actions tel que décrit au rapport en annexe",
            ],
        ));
        let preview = ok(acta(&db, &["item", "show", date, "1"]));
        assert!(
            preview.contains(
                "Quorum : 42 présents ou représentés sur 44 en exercice, quorum 23 : atteint"
            ),
            "{preview}"
        );

        let closed = ok(acta(
            &db,
            &[
                "item",
                "close",
                date,
                "1",
                "--for",
                "44",
                "--against",
                "0",
                "--abstention",
                "0",
                "--group",
                "Groupe Socialiste, Républicain et Citoyen=pour",
                "--group",
                "Groupe Communiste et Républicain=pour",
                "--group",
                "Groupe Union pour le Pas-de-Calais=pour",
                "--group",
                "Groupe Rassemblement National=pour",
                "--group",
                "Non-inscrit=pour",
            ],
        ));
        assert!(
            closed.contains("Résultat : Adopté — délibération N°2023-479 (@ctes : 2023_479)"),
            "{closed}"
        );
        // The two votes beyond the 42 present are not hidden: no proxy is recorded.
        assert!(closed.contains("2 voix ne sont pas justifiées"), "{closed}");
        assert!(
            closed.contains("M. Pierre GEORGET, Mme Stéphanie RIGAUX"),
            "{closed}"
        );

        let d = json(&acta(&db, &["show", "deliberation", "2023-479", "--json"]));
        assert_eq!(d["date"], "2023-11-20");
        assert_eq!(d["president"], "M. Jean-Claude LEROY");
        assert_eq!(d["secretary"], "Mme Maryse DELASSUS");
        assert_eq!(d["vote"]["for"], 44);
        assert_eq!(d["vote"]["against"], 0);
        assert_eq!(d["vote"]["abstention"], 0);
        assert_eq!(d["vote"]["groups_for"].as_array().unwrap().len(), 5);
        assert_eq!(d["vote"]["outcome"], "adopted");
        assert_eq!(d["attendance"]["present"].as_array().unwrap().len(), 42);
        assert_eq!(plain(&d["budget"][0]["voted"]["figure"]), "140 000,00");
        assert_eq!(plain(&d["budget"][0]["available"]["figure"]), "120 000,00");
        assert_eq!(plain(&d["budget"][0]["proposed"]["figure"]), "120 000,00");
        assert_eq!(plain(&d["budget"][0]["balance"]["figure"]), "0,00");
        assert_eq!(d["awards"][0]["beneficiary"]["siret"], "13002374000439");
        assert_eq!(d["awards"][0]["status"], "adopted");
        // Closed means closed.
        let again = acta(&db, &["item", "close", date, "1", "--for", "44"]);
        assert_eq!(again.status.code(), Some(1));
        assert!(stderr(&again).contains("déjà clos"), "{}", stderr(&again));
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_seed_grant_is_signed_paid_and_settled_from_the_cli() {
    for db in TestDatabase::all().await.unwrap() {
        ok(acta(&db, &["demo"]));
        let early = acta(
            &db,
            &[
                "payment",
                "add",
                "2023-479",
                "--tranche",
                "1",
                "--date",
                "2023-12-15",
                "--amount",
                "100 000",
                "--reference",
                "M-1",
            ],
        );
        assert_eq!(early.status.code(), Some(1));
        assert!(
            stderr(&early).contains("une convention signée est obligatoire"),
            "{}",
            stderr(&early)
        );
        assert!(
            ok(acta(
                &db,
                &["convention", "sign", "2023-479", "--date", "2023-12-01"]
            ))
            .contains("1er décembre 2023")
        );
        ok(acta(
            &db,
            &[
                "document",
                "receive",
                "2023-479",
                "--tranche",
                "1",
                "--date",
                "2023-12-04",
                "--description",
                "Appel à versement",
            ],
        ));
        ok(acta(
            &db,
            &[
                "payment",
                "add",
                "2023-479",
                "--tranche",
                "1",
                "--date",
                "2023-12-15",
                "--amount",
                "100 000",
                "--reference",
                "M-1",
                "--mandate-date",
                "2023-12-11",
            ],
        ));
        let paid = json(&acta(&db, &["grant", "2023-479", "--json"]));
        assert_eq!(paid["payments"][0]["mandate_date"], "2023-12-11");
        let overdue = json(&acta(
            &db,
            &["document", "overdue", "--date", "2024-07-02", "--json"],
        ));
        assert_eq!(overdue[0]["due"], "2024-06-30");
        assert_eq!(overdue[0]["days_late"], 2);
        let decision = json(&acta(
            &db,
            &[
                "reimbursement",
                "2023-479",
                "--date",
                "2024-02-01",
                "--ceased-on",
                "2023-09-30",
                "--title",
                "T-2024-7",
                "--json",
            ],
        ));
        assert_eq!(decision["to_recover"], 1_024_658);
        assert_eq!(decision["cancelled_due"], 2_000_000);
        assert!(plain(&decision["explanation"]).contains("273 jours d'activité sur 365"));
        let grant = json(&acta(&db, &["grant", "2023-479", "--json"]));
        assert_eq!(grant["paid"], 10_000_000);
        assert_eq!(grant["recovered"], 1_024_658);
        assert_eq!(grant["status"], "terminated");
        ok(acta(&db, &["convention", "close", "2023-479"]));
        let line = json(&acta(
            &db,
            &[
                "budget-line",
                "show",
                "C01-620A06",
                "--year",
                "2023",
                "--json",
            ],
        ));
        assert_eq!(line["available"], 2_000_000);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn archives_are_imported_from_files_and_shown_by_number() {
    let import_tests = concat!(env!("CARGO_MANIFEST_DIR"), "/../import/tests");
    let recueil = format!("{import_tests}/labelled/02-commune-recueil.txt");
    let francs = format!("{import_tests}/labelled/14-francs-1998.txt");
    for db in TestDatabase::all().await.unwrap() {
        ok(acta(&db, &["init"]));
        let summary = ok(acta(&db, &["import", "archives", &recueil, &francs]));
        assert!(
            summary.starts_with("2 fichier(s) lu(s) : 2 importé(s), 0 déjà importé(s), 0 illisible(s), 0 ignoré(s) ; 4 délibération(s) trouvée(s)"),
            "{summary}"
        );
        assert!(
            summary.contains("montant en francs conservé sans conversion"),
            "{summary}"
        );

        // A number of the archives is shown by `show deliberation`, with each field's line.
        // Amounts are printed with French no-break spaces.
        let shown = ok(acta(&db, &["show", "deliberation", "2023-072"]))
            .replace(['\u{202f}', '\u{a0}'], " ");
        assert!(
            shown.starts_with("Délibération archivée N°2023-072"),
            "{shown}"
        );
        assert!(
            shown.contains("Objet : Subvention au Béthune Basket Club  [l. 27]"),
            "{shown}"
        );
        assert!(
            shown.contains("Bénéficiaire : Béthune Basket Club — 4 000 €"),
            "{shown}"
        );
        assert!(shown.contains("Vote : pour 25, contre 3 (M. Kévin BOUCHEZ ; Mme Isabelle LEVENT ; M. Bernard SZYMCZAK), abstention(s) 1 — adoptée"), "{shown}");
        let francs_shown =
            ok(acta(&db, &["show", "archive", "98-041"])).replace(['\u{202f}', '\u{a0}'], " ");
        assert!(
            francs_shown.contains("15 000,00 F (francs, non converti)"),
            "{francs_shown}"
        );

        let again = json(&acta(&db, &["import", "archives", &recueil, "--json"]));
        assert_eq!(again["files_already_imported"], 1);
        assert_eq!(again["deliberations"], 0);

        let missing = acta(&db, &["import", "archives", "/nulle/part.pdf"]);
        assert_eq!(missing.status.code(), Some(1));
        assert!(
            stderr(&missing).contains("/nulle/part.pdf : fichier introuvable."),
            "{}",
            stderr(&missing)
        );
    }
}

/// Another collectivity's real SCDL 1.x file: the summary counts rows, grants and euros,
/// then each cell left out and each row refused, by line; `--json` gives the same report.
#[tokio::test]
async fn a_real_subsidies_file_is_imported_with_its_warnings_from_the_cli() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../interop/tests/data/scdl");
    let haute_garonne = format!("{data}/haute-garonne-2017.csv");
    let somme = format!("{data}/somme-2018-03-02.csv");
    for db in TestDatabase::all().await.unwrap() {
        ok(acta(&db, &["init"]));
        let printed = ok(acta(&db, &["import", "scdl-subventions", &haute_garonne]))
            .replace(['\u{202f}', '\u{a0}'], " ");
        let lines: Vec<&str> = printed.lines().collect();
        assert_eq!(
            lines[..3],
            [
                "haute-garonne-2017.csv : SCDL 1.x (format réglementaire de 2017) (UTF-8, séparateur « ; »), 12 ligne(s) lue(s).",
                "11 subvention(s) importée(s) pour 41 613,85 €, dont 6 avec avertissement(s) ; 1 ligne(s) refusée(s).",
                "  Colonnes absentes (laissées vides) : rnaBeneficiaire, dispositifAide.",
            ],
            "{printed}"
        );
        assert!(
            printed.contains(
                "  ligne 8 ⚠ conditionsVersement : cellule vide, alors que le SCDL l'exige."
            ),
            "{printed}"
        );
        assert!(
            printed.ends_with("  ligne 9 refusée : nomBeneficiaire, idBeneficiaire et rnaBeneficiaire : le bénéficiaire n'est pas identifié\n"),
            "{printed}"
        );
        let report = json(&acta(
            &db,
            &["import", "scdl-subventions", &somme, "--json"],
        ));
        assert_eq!(report["imported"], 4, "{report}");
        assert_eq!(report["refused"], 0);
        assert_eq!(report["amount"], 34_240_600, "{report}");
        assert_eq!(report["warnings"].as_array().unwrap().len(), 8);
        assert_eq!(report["warnings"][0]["column"], "montant");
    }
}

/// The seed's deliberation signed, verified, refused once tampered with, and transmitted
/// to a stand-in S²LOW from the command line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_deliberation_is_signed_verified_and_transmitted_from_the_command_line() {
    use acta_sign::testing::{KeyKind, PASSWORD, TestAuthority};
    use acta_tdt_standin::{Authority, CLIENT_PASSWORD, StandIn};
    let authority = TestAuthority::new().unwrap();
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name).to_string_lossy().to_string();
        std::fs::write(
            path("president.p12"),
            authority
                .issue("Jean-Claude LEROY", KeyKind::EcP256, 2023, 2035)
                .unwrap(),
        )
        .unwrap();
        std::fs::write(path("mot-de-passe"), PASSWORD).unwrap();
        std::fs::write(path("autorites.pem"), authority.certificate_pem()).unwrap();
        assert!(acta(&db, &["demo"]).status.success());

        let run = |args: &[&str]| {
            let o = acta(&db, args);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            stdout(&o)
        };
        let password_from = format!("file:{}", path("mot-de-passe"));
        run(&[
            "signer",
            "add",
            "--name",
            "Jean-Claude LEROY",
            "--role",
            "president",
            "--pkcs12",
            &path("president.p12"),
            "--password-from",
            &password_from,
        ]);
        assert!(run(&["signer", "trust", &path("autorites.pem")]).contains("1 autorité"));
        run(&["signature", "prepare", "deliberation", "2023-479"]);
        let signed = json(&acta(
            &db,
            &[
                "signature",
                "sign",
                "deliberation",
                "2023-479",
                "--signer",
                "Jean-Claude LEROY",
                "--json",
            ],
        ));
        assert_eq!(signed["etat"], "signe");
        run(&[
            "signature",
            "pdf",
            "deliberation",
            "2023-479",
            "--out",
            &path("signe.pdf"),
        ]);

        let verified = acta(&db, &["verify", &path("signe.pdf")]);
        assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
        assert!(
            stdout(&verified).contains("1 signature valide"),
            "{}",
            stdout(&verified)
        );
        let mut tampered = std::fs::read(path("signe.pdf")).unwrap();
        let at = tampered.windows(8).position(|w| w == b"/Creator").unwrap();
        tampered[at + 10] ^= 1;
        std::fs::write(path("modifie.pdf"), &tampered).unwrap();
        let refused = acta(&db, &["verify", &path("modifie.pdf")]);
        assert_eq!(refused.status.code(), Some(4));
        assert!(
            stdout(&refused).contains("modifié après sa signature"),
            "{}",
            stdout(&refused)
        );
        let refused = json_with_exit(&acta(&db, &["verify", &path("modifie.pdf"), "--json"]), 4);
        assert_eq!(refused["valide"], false);

        // The prefecture's platform, reached with the collectivity's certificate.
        let platform = StandIn::start(Authority {
            siren: "226200012".into(),
            department_code_3: "062".into(),
            name: "Département du Pas-de-Calais".into(),
        })
        .await
        .unwrap();
        platform.set_reception_date(jiff::civil::date(2026, 12, 4));
        std::fs::write(path("connexion.p12"), platform.client_pkcs12()).unwrap();
        std::fs::write(path("connexion-mdp"), CLIENT_PASSWORD).unwrap();
        std::fs::write(path("plateforme.pem"), platform.platform_root_pem()).unwrap();
        let connection_password = format!("file:{}", path("connexion-mdp"));
        run(&[
            "transmission",
            "configure",
            "--url",
            &platform.base_url(),
            "--pkcs12",
            &path("connexion.p12"),
            "--password-from",
            &connection_password,
            "--platform-authority",
            &path("plateforme.pem"),
        ]);
        let sent = json(&acta(&db, &["transmission", "send", "2023-479", "--json"]));
        assert_eq!(sent["etat"], "deposee", "{sent}");
        run(&["transmission", "run"]);
        let last = run(&["transmission", "run"]);
        assert!(last.contains("1 acquittée(s)"), "{last}");
        let status = run(&["transmission", "status", "2023-479"]);
        assert!(
            status.contains("Transmis le 4 décembre 2026 (accusé de réception 062-226200012-20231120-2023_479-DE)"),
            "{status}"
        );
        run(&[
            "transmission",
            "file",
            "2023-479",
            "accuse",
            "--out",
            &path("ARActe.xml"),
        ]);
        // ISO-8859-1, as the prefecture writes it.
        let ack = std::fs::read(path("ARActe.xml")).unwrap();
        assert!(String::from_utf8_lossy(&ack).contains("actes:ARActe"));
        assert_eq!(platform.acts().len(), 1);
        db.cleanup().await.unwrap();
    }
}

/// `acta export … | head`: the reader goes away after a few bytes; acta ends quietly with
/// status 0, without an error message or a panic. The export is larger than a pipe's
/// buffer, so that acta really writes into a closed pipe.
#[tokio::test]
async fn a_closed_standard_output_ends_the_command_quietly() {
    use std::io::Read;
    // Not a storage matter: SQLite alone.
    for db in [TestDatabase::sqlite().await.unwrap()] {
        assert!(acta(&db, &["demo", "--synthetic", "2000"]).status.success());
        ok(acta(&db, &["collectivity", "set-siret", "22620001200012"]));
        let full = acta(&db, &["export", "scdl-deliberations"]);
        assert!(full.stdout.len() > 256 * 1024, "{}", full.stdout.len());
        let mut child = Command::new(env!("CARGO_BIN_EXE_acta"))
            .args(["--database", db.url.as_str(), "--as", "test"])
            .args(["export", "scdl-deliberations"])
            .env_remove("ACTA_DATABASE_URL")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe's reading end is dropped here, as `head` exits.
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(stderr(&output), "", "{}", db.name());
        db.cleanup().await.unwrap();
    }
}
