//! The frame every HTML page shares (portal and back office): language, skip link,
//! header and navigation, one style sheet inline, nothing fetched from outside.

use acta_domain::text::escape_html as escape;

const STYLE: &str = r#"
body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 0 auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
a { color: #0b4f8a; }
.skip { position: absolute; left: -10rem; } .skip:focus { left: 1rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1.5rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #ccc; vertical-align: top; }
label { display: block; font-weight: 600; } input, select, button, textarea { font-size: 1rem; padding: .3rem; }
fieldset { margin: 1rem 0; border: 1px solid #999; } legend { font-weight: 600; }
.extrait b { background: #fff1a8; }
.alerte { border-left: .4rem solid #b00020; padding: .5rem 1rem; background: #fdecee; }
.info { border-left: .4rem solid #0b4f8a; padding: .5rem 1rem; background: #eef4fb; }
.compte { display: flex; gap: 1rem; align-items: center; }
.inline { display: inline; }
"#;

/// A link of the main navigation: its target and its French label.
pub struct NavLink<'a>(pub &'a str, pub &'a str);

/// A whole page. `after_nav` is shown in the header after the navigation (the account and
/// its log-out button); `script` adds the back office's comfort script.
pub fn document(
    title: &str,
    site: &str,
    nav: &[NavLink<'_>],
    after_nav: &str,
    main: &str,
    script: bool,
) -> String {
    let links: String = nav
        .iter()
        .map(|NavLink(href, label)| format!("<li><a href=\"{href}\">{label}</a></li>"))
        .collect();
    let script = if script {
        "<script src=\"/static/gestion.js\" defer></script>\n"
    } else {
        ""
    };
    format!(
        r##"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — {site}</title>
<style>{STYLE}</style>
{script}</head>
<body>
<a class="skip" href="#contenu">Aller au contenu</a>
<header><p><strong>{site}</strong></p>
<nav aria-label="Navigation principale"><ul>{links}</ul></nav>
{after_nav}</header>
<main id="contenu">
<h1>{title}</h1>
{main}
</main>
<footer><p>Documents publiés par la collectivité ; l'API est décrite à <a href="/api/openapi.json">/api/openapi.json</a>.</p></footer>
</body>
</html>
"##,
        title = escape(title),
    )
}

/// The errors of a refused form, listed at its top and announced to screen readers.
pub fn error_summary(e: &acta_app::AppError) -> String {
    let fields = e.field_errors();
    let items = if fields.is_empty() {
        format!("<li>{}</li>", escape(&e.to_string()))
    } else {
        fields
            .iter()
            .map(|f| format!("<li>{}</li>", escape(&f.message)))
            .collect()
    };
    format!(
        "<div class=\"alerte\" role=\"alert\"><p><strong>La demande n'a pas abouti :</strong></p><ul>{items}</ul></div>"
    )
}
