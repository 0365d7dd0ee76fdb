//! Archived deliberations on SQLite and PostgreSQL: the seed's text imports to the facts
//! the demo holds, a folder of archives is imported in one go (each file once), an
//! unreadable file is reported without stopping the others, and the archives are shown,
//! searched and exported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acta_app::archives::ArchiveFormat;
use acta_app::{Acta, Actor, FixedClock};
use acta_domain::french::fold;
use acta_import::Position;
use acta_search::{ActKind, Audience, SearchQuery};
use acta_store::testing::TestDatabase;
use std::path::{Path, PathBuf};

fn actor() -> Actor {
    Actor::new("archiviste")
}

/// The seed case loaded, with a fixed clock.
async fn demo(db: &TestDatabase) -> Acta {
    let acta = Acta::with_store(db.store.clone())
        .with_clock(FixedClock("2024-01-15T08:00:00Z".parse().unwrap()));
    acta.load_demo(&actor()).await.unwrap();
    acta
}

fn import_tests() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests")
}

#[tokio::test]
async fn the_seed_text_imports_to_the_facts_of_the_demo() {
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let seed = import_tests().join("seed/pas-de-calais-2023-479.txt");
        let report = acta
            .import_archives(&actor(), &[seed], &|_, _| {})
            .await
            .unwrap();
        assert_eq!(
            (report.files_imported, report.deliberations),
            (1, 1),
            "{}",
            db.name()
        );

        let demo = acta.deliberation_view("2023-479").await.unwrap();
        let archives = acta.archived_acts("2023-479").await.unwrap();
        assert_eq!(archives.len(), 1);
        let r = &archives[0].record;
        // The demo shows members with their civility, as the act prints them.
        let named = |p: &acta_import::Person| match p.civility {
            Some(acta_import::Civility::Monsieur) => format!("M. {}", p.name),
            Some(acta_import::Civility::Madame) => format!("Mme {}", p.name),
            None => p.name.clone(),
        };
        let names = |list: &[acta_import::Extracted<acta_import::Person>]| {
            list.iter().map(|p| named(&p.value)).collect::<Vec<_>>()
        };
        assert_eq!(names(&r.present), demo.attendance.present);
        assert_eq!(names(&r.excused), demo.attendance.excused);
        assert_eq!(
            names(&r.present_without_vote),
            demo.attendance.present_without_vote
        );
        assert_eq!(
            names(&r.excused_without_vote),
            demo.attendance.excused_without_vote
        );
        assert_eq!(r.title.as_ref().unwrap().value, demo.title);
        assert_eq!(r.sitting_date.as_ref().unwrap().value, demo.sitting_date);
        assert_eq!(
            r.president.as_ref().map(|p| named(&p.value)),
            demo.president
        );
        assert_eq!(
            r.secretary.as_ref().map(|p| named(&p.value)),
            demo.secretary
        );
        assert_eq!(
            r.report_number.as_ref().map(|n| n.value.clone()),
            demo.report_number.map(|n| n.to_string())
        );
        assert_eq!(r.visas.len(), demo.visas.len());
        for (found, expected) in r.visas.iter().zip(&demo.visas) {
            assert!(
                fold(expected).starts_with(&fold(&found.value)),
                "{} ≠ {expected}",
                found.value
            );
        }
        let vote = &r.vote.as_ref().unwrap().value;
        let demo_vote = demo.vote.as_ref().unwrap();
        let count = |p: Position| {
            vote.stances
                .iter()
                .find(|s| s.position == p)
                .and_then(|s| s.count)
        };
        assert_eq!(count(Position::For), Some(demo_vote.for_));
        assert_eq!(count(Position::Against), Some(demo_vote.against));
        assert_eq!(count(Position::Abstention), Some(demo_vote.abstention));
        assert_eq!(vote.stances[0].groups, demo_vote.groups_for);
        let award = &demo.awards[0];
        assert_eq!(
            r.beneficiaries[0].value.amount.amount.centimes(),
            award.amount.centimes
        );
        let signatories: Vec<_> = r.signatories.iter().map(|s| s.value.name.clone()).collect();
        let expected: Vec<_> = demo.signatories.iter().map(|s| s.name.clone()).collect();
        assert_eq!(signatories, expected);
        assert_eq!(fold(&r.place.as_ref().unwrap().value), fold(&demo.place));
    }
}

#[tokio::test]
async fn a_folder_of_archives_is_imported_once_shown_searched_and_exported() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let acta = Acta::with_store(db.store.clone());
        // An unreadable "PDF" among the archives does not stop the others.
        let broken = dir.path().join("abime.pdf");
        std::fs::write(&broken, b"%PDF-1.7\nce fichier n'est pas un PDF").unwrap();
        let labelled = import_tests().join("labelled");
        let report = acta
            .import_archives(&actor(), &[labelled.clone(), broken.clone()], &|_, _| {})
            .await
            .unwrap();
        let texts = std::fs::read_dir(&labelled)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "txt")
            })
            .count();
        assert_eq!(report.files_read, texts + 1, "{}", db.name());
        assert_eq!(report.files_imported, texts);
        assert_eq!(report.files_unreadable, 1);
        let unreadable = report
            .files
            .iter()
            .find(|f| f.status == "illisible")
            .unwrap();
        assert!(unreadable.file.ends_with("abime.pdf"));
        assert!(
            unreadable.warnings[0].starts_with("PDF illisible"),
            "{:?}",
            unreadable.warnings
        );
        assert!(report.deliberations >= texts);

        // The same files again: nothing is added.
        let again = acta
            .import_archives(&actor(), std::slice::from_ref(&labelled), &|_, _| {})
            .await
            .unwrap();
        assert_eq!(
            (again.files_imported, again.files_already_imported),
            (0, texts)
        );

        // Shown by number, with the source file and its line numbers.
        let shown = acta.archived_acts("2023-072").await.unwrap();
        assert_eq!(shown.len(), 1);
        assert!(shown[0].source_file.ends_with("02-commune-recueil.txt"));
        assert_eq!(shown[0].position, 1);
        let record = &shown[0].record;
        assert_eq!(
            record.title.as_ref().unwrap().value,
            "Subvention au Béthune Basket Club"
        );
        assert_eq!(
            record.beneficiaries[0].value.beneficiary,
            "Béthune Basket Club"
        );
        let by_id = acta
            .archived_acts(&format!("#{}", shown[0].id))
            .await
            .unwrap();
        assert_eq!(by_id[0].record, shown[0].record);

        // Searched: public acts of the kind "archive".
        let index = dir.path().join("index");
        let (results, _) = acta
            .search(
                &index,
                &SearchQuery {
                    text: "basket".into(),
                    limit: 10,
                    ..Default::default()
                },
                Audience::Public,
            )
            .await
            .unwrap();
        assert_eq!(results.total, 1);
        assert_eq!(results.hits[0].kind, ActKind::Archive);
        assert_eq!(results.hits[0].number.as_deref(), Some("2023-072"));

        // Exported: one CSV row each, and the full records as JSON Lines.
        let mut csv = Vec::new();
        let rows = acta
            .export_archives(&mut csv, ArchiveFormat::Csv)
            .await
            .unwrap();
        assert_eq!(rows as usize, report.deliberations);
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv.lines().count(), report.deliberations + 1);
        assert!(csv.contains("15000.00 FRF"), "the francs stay francs");
        let mut jsonl = Vec::new();
        acta.export_archives(&mut jsonl, ArchiveFormat::JsonLines)
            .await
            .unwrap();
        let first: serde_json::Value =
            serde_json::from_str(String::from_utf8(jsonl).unwrap().lines().next().unwrap())
                .unwrap();
        assert_eq!(
            first["record"]["collectivity"]["value"],
            "Commune de Saint-Pol-sur-Ternoise"
        );
        assert_eq!(first["record"]["collectivity"]["line"], 1);
    }
}

/// The deliberation acta renders to PDF, imported back: through `pdftotext` (the path
/// used when poppler is installed, as in CI) and through the pure-Rust fallback.
#[tokio::test]
async fn a_deliberation_pdf_rendered_by_acta_imports_back_to_its_facts() {
    use acta_docs::{DocumentsConfig, Format, Renderer};
    for db in TestDatabase::all().await.unwrap() {
        let acta = demo(&db).await;
        let config = DocumentsConfig::embedded().unwrap();
        let doc = acta
            .deliberation_document(&config, "2023-479")
            .await
            .unwrap();
        let renderer = Renderer::new(config, None).unwrap();
        let pdf = acta_app::documents::render_all(&renderer, &[doc], &[Format::Pdf], &|_| {})
            .unwrap()
            .remove(0)
            .1;
        let demo = acta.deliberation_view("2023-479").await.unwrap();

        let mut readers: Vec<(&str, Vec<u8>)> = vec![(
            "pdf-extract",
            acta_app::archives::pure_rust_text(&pdf).unwrap(),
        )];
        if acta_app::archives::pdftotext_installed() {
            let (text, how) = acta_app::archives::extract_text(&pdf).unwrap();
            assert_eq!(how, acta_app::archives::Extraction::Pdftotext);
            readers.push(("pdftotext", text.into_owned()));
        }
        for (reader, text) in readers {
            let file = acta_import::parse_bytes(&text);
            assert_eq!(
                file.deliberations.len(),
                1,
                "{reader}: {}",
                String::from_utf8_lossy(&text)
            );
            let r = &file.deliberations[0];
            assert_eq!(
                r.number.as_ref().map(|n| n.value.as_str()),
                Some("2023-479"),
                "{reader}"
            );
            assert_eq!(
                r.sitting_date.as_ref().map(|d| d.value),
                Some(demo.sitting_date),
                "{reader}"
            );
            assert_eq!(r.present.len(), demo.attendance.present.len(), "{reader}");
            assert_eq!(r.excused.len(), demo.attendance.excused.len(), "{reader}");
            let vote = &r.vote.as_ref().expect("the vote").value;
            let count = |p: Position| {
                vote.stances
                    .iter()
                    .find(|s| s.position == p)
                    .and_then(|s| s.count)
            };
            assert_eq!(
                count(Position::For),
                Some(demo.vote.as_ref().unwrap().for_),
                "{reader}"
            );
            assert_eq!(r.beneficiaries.len(), 1, "{reader}");
        }

        // Through the importer's front door: the file on disk, stored as an archived act.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2023-479.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let report = acta
            .import_archives(&actor(), &[path], &|_, _| {})
            .await
            .unwrap();
        assert_eq!(
            (report.files_imported, report.deliberations),
            (1, 1),
            "{}",
            db.name()
        );
        assert_eq!(acta.archived_acts("2023-479").await.unwrap().len(), 1);
    }
}

/// A folder as an attacker or an untidy share leaves it: a link to the folder itself, a
/// link to /dev/zero, a pipe, a dangling link and a file over the size limit. The walk
/// ends, nothing blocks or grows without bound, each is reported and the real act imported.
#[cfg(unix)]
#[tokio::test]
async fn hostile_folders_are_walked_without_hanging_and_every_oddity_is_reported() {
    for db in TestDatabase::all().await.unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let share = dir.path().join("partage");
        std::fs::create_dir(&share).unwrap();
        std::fs::copy(
            import_tests().join("labelled/01-commune-unanimite.txt"),
            share.join("01-vraie.txt"),
        )
        .unwrap();
        std::os::unix::fs::symlink(&share, share.join("boucle")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", share.join("zero.txt")).unwrap();
        std::os::unix::fs::symlink(share.join("disparu.txt"), share.join("casse.txt")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(share.join("tube.txt"))
            .status()
            .unwrap();
        assert!(fifo.success());
        let huge = std::fs::File::create(share.join("enorme.txt")).unwrap();
        huge.set_len(acta_app::archives::MAX_FILE_BYTES + 1)
            .unwrap();

        let acta = Acta::with_store(db.store.clone());
        let report = tokio::time::timeout(
            std::time::Duration::from_secs(120),
            acta.import_archives(&actor(), std::slice::from_ref(&share), &|_, _| {}),
        )
        .await
        .expect("the import ends")
        .unwrap();
        assert_eq!(
            report.files_imported,
            1,
            "{}: {:?}",
            db.name(),
            report.files
        );
        assert_eq!(report.files_read, 1);
        assert_eq!(report.files_skipped, 5, "{:?}", report.files);
        let why = |name: &str| {
            report
                .files
                .iter()
                .find(|f| f.file.ends_with(name))
                .map(|f| (f.status, f.warnings.join(" ")))
                .unwrap_or_else(|| panic!("{name} not reported: {:?}", report.files))
        };
        assert_eq!(why("boucle").0, "ignoré");
        assert!(why("boucle").1.contains("boucle"));
        assert!(why("casse.txt").1.contains("lien symbolique cassé"));
        assert!(why("zero.txt").1.contains("périphérique"));
        assert!(why("tube.txt").1.contains("tube"));
        assert!(why("enorme.txt").1.contains("au-delà de la limite"));
        db.cleanup().await.unwrap();
    }
}
