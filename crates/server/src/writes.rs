//! The glue every write shares, written once. A write names its subject (an aid, a sitting,
//! an agenda item, a beneficiary — what its address designates), its input struct and its
//! use case; these builders make the handler: the JSON API's (read the body, run, answer or
//! refuse in French problem details) and the back office's (read the form, run, go back to
//! the subject's page or show it again with the refusal and what was typed).
//!
//! A route's handler is then one line: `|m| json::<Aid, _, _, _>(m, |acta, actor, key,
//! input: PaymentInput| async move { acta.record_payment(&actor, &key, &input).await.map(Json) })`.

use crate::AppState;
use crate::backoffice::see_other;
use crate::extract::{ApiJson, Fields, PathParams, Staff, Submitted, Upload};
use crate::pages::Typed;
use crate::problem::Problem;
use crate::session::Visitor;
use acta_app::{Acta, Actor, AppError};
use acta_docs::Renderer;
use axum::extract::{FromRequest, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::Arc;

/// What a use case is given besides its actor, key and input: the application (its
/// methods are called on the tools directly) and the document renderer for the writes that
/// lay out a document (preparing a signature, transmitting, publishing).
#[derive(Clone)]
pub struct Tools {
    pub acta: Acta,
    pub renderer: Arc<Renderer>,
}

impl Tools {
    fn of(state: &AppState) -> Tools {
        Tools {
            acta: state.acta.clone(),
            renderer: state.renderer.clone(),
        }
    }
}

impl std::ops::Deref for Tools {
    type Target = Acta;

    fn deref(&self) -> &Acta {
        &self.acta
    }
}

/// A write's use case: given the tools, the actor, its subject's key and its input, it
/// answers or refuses (the one bound every write builder puts on it).
pub trait UseCase<K, I, R>:
    Fn(Tools, Actor, K, I) -> Self::Answer + Clone + Send + Sync + 'static
{
    type Answer: Future<Output = Result<R, AppError>> + Send + 'static;
}

impl<K, I, R, F, Fut> UseCase<K, I, R> for F
where
    F: Fn(Tools, Actor, K, I) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, AppError>> + Send + 'static,
{
    type Answer = Fut;
}

/// What a write's address designates, and the key its use case takes.
pub trait Subject: Send + Sync + 'static {
    /// The path parameters ("/gestion/aides/{id}": the aid's number).
    type Path: DeserializeOwned + Clone + Send + Sync + 'static;
    type Key: Send + 'static;
    fn key(path: &Self::Path) -> Self::Key;
}

/// A subject with a back-office page, where its forms are.
pub trait Page: Subject {
    /// Where a form goes back to once done.
    fn url(path: &Self::Path) -> String;
    /// The page again, with what was refused and typed.
    fn page(
        state: &AppState,
        visitor: &Visitor,
        path: Self::Path,
        error: Option<&AppError>,
        typed: Typed,
    ) -> impl Future<Output = Response> + Send;
}

/// Declares a subject with its back-office page, in one place: its path parameters (bound
/// to a pattern the three parts use), the key its use cases take, the page's address and
/// how the page is built (with the state, the visitor, the refusal and what was typed):
/// `page =` names an async function that answers the page, `build =` gives the page's
/// template value directly (reads with `?`; a failed read shows the error page).
macro_rules! page_subject {
    (
        $(#[$doc:meta])*
        $name:ident($bound:pat): $path:ty => $key:ty = $to_key:expr;
        url = $url:expr;
        build = |$s:pat_param, $v:ident, $e:ident, $t:pat_param| $build:expr;
    ) => {
        $crate::writes::page_subject! {
            $(#[$doc])*
            $name($bound): $path => $key = $to_key;
            url = $url;
            page = |state, visitor, error, typed| async move {
                let ($s, $v, $e, $t) = (state, visitor, error, typed);
                let page: Result<_, acta_app::AppError> = async { Ok($build) }.await;
                $crate::pages::shown($v, $e, page)
            };
        }
    };
    (
        $(#[$doc:meta])*
        $name:ident($bound:pat): $path:ty => $key:ty = $to_key:expr;
        url = $url:expr;
        page = |$s:ident, $v:ident, $e:ident, $t:ident| $page:expr;
    ) => {
        $(#[$doc])*
        pub struct $name;

        impl $crate::writes::Subject for $name {
            type Path = $path;
            type Key = $key;
            fn key(path: &$path) -> $key {
                let $bound = *path;
                $to_key
            }
        }

        impl $crate::writes::Page for $name {
            fn url(path: &$path) -> String {
                let $bound = *path;
                $url
            }
            async fn page(
                $s: &$crate::AppState,
                $v: &$crate::session::Visitor,
                path: $path,
                $e: Option<&acta_app::AppError>,
                $t: $crate::pages::Typed,
            ) -> axum::response::Response {
                let $bound = path;
                $page.await
            }
        }
    };
}
pub(crate) use page_subject;

/// A JSON write on a subject: the body read into `I`, the use case run, its answer sent.
pub fn json<S, I, R, F>(method: MethodFilter, use_case: F) -> MethodRouter<AppState>
where
    S: Subject,
    I: DeserializeOwned + Send + 'static,
    R: IntoResponse + Send + 'static,
    F: UseCase<S::Key, I, R>,
{
    json_with::<S, I, ApiJson<I>, R, F>(method, use_case)
}

/// The handler of an API write on a subject: the body read, the use case run, its answer
/// sent or its refusal as French problem details.
fn json_with<S, I, B, R, F>(method: MethodFilter, use_case: F) -> MethodRouter<AppState>
where
    S: Subject,
    B: WriteBody<I>,
    R: IntoResponse + Send + 'static,
    F: UseCase<S::Key, B::Input, R>,
{
    write_on::<S, I, B, R, F, _, _>(method, use_case, |_, _, _, result, _| async move {
        result.map_err(Problem::from).into_response()
    })
}

/// The shape every write handler shares: the subject's address and the body read, the use
/// case run on them (unless the body was refused), and its outcome handed to `answer` with
/// what was typed.
fn write_on<S, I, B, R, F, A, AFut>(
    method: MethodFilter,
    use_case: F,
    answer: A,
) -> MethodRouter<AppState>
where
    S: Subject,
    B: WriteBody<I>,
    R: Send + 'static,
    F: UseCase<S::Key, B::Input, R>,
    A: Fn(AppState, Staff, S::Path, Result<R, AppError>, Fields) -> AFut
        + Clone
        + Send
        + Sync
        + 'static,
    AFut: Future<Output = Response> + Send + 'static,
{
    on(
        method,
        move |State(s): State<AppState>,
              staff: Staff,
              PathParams(path): PathParams<S::Path>,
              body: B| {
            let (use_case, answer) = (use_case.clone(), answer.clone());
            async move {
                let (input, typed) = body.take();
                let result = match input {
                    Ok(input) => {
                        let key = S::key(&path);
                        use_case(Tools::of(&s), staff.actor.clone(), key, input).await
                    }
                    Err(e) => Err(e),
                };
                answer(s, staff, path, result, typed).await
            }
        },
    )
}

/// The register itself, for a write whose address names nothing ("/api/seances").
pub struct Register;

#[rustfmt::skip]
impl Subject for Register { type Path = (); type Key = (); fn key(_: &()) {} }

/// A subject's page, as the back office shows it.
pub async fn show<S: Page>(
    State(s): State<AppState>,
    staff: Staff,
    PathParams(path): PathParams<S::Path>,
) -> Response {
    S::page(&s, &staff.visitor, path, None, Typed::default()).await
}

/// A back-office form on a subject's page (`name`: the form, among the page's): the
/// fields read into `I`, the use case run, then back to the page (303), or the page again
/// with the refusal above the form and what was typed in it.
pub fn form<S, I, R, F>(
    method: MethodFilter,
    name: &'static str,
    use_case: F,
) -> MethodRouter<AppState>
where
    S: Page,
    I: DeserializeOwned + Serialize + Send + 'static,
    R: Send + 'static,
    F: UseCase<S::Key, I, R>,
{
    create::<S, I, R, F>(method, name, use_case, |path, _| S::url(path))
}

/// A back-office form that makes something (a sitting, an agenda item, an account…): as
/// [`form`], but once done it goes to what `then` names from the use case's answer (the
/// new thing's page).
pub fn create<S, I, R, F>(
    method: MethodFilter,
    name: &'static str,
    use_case: F,
    then: fn(&S::Path, &R) -> String,
) -> MethodRouter<AppState>
where
    S: Page,
    I: DeserializeOwned + Serialize + Send + 'static,
    R: Send + 'static,
    F: UseCase<S::Key, I, R>,
{
    form_with::<S, I, Submitted<I>, R, F>(method, name, use_case, then)
}

/// A form that sends a file (multipart/form-data) on a subject's page: its text fields
/// read into `I`, the use case given them and the file (`Upload`), then on to what `then`
/// names, or the page again with the refusal and what was typed.
pub fn upload_form<S, I, R, F, Fut>(
    method: MethodFilter,
    name: &'static str,
    use_case: F,
    then: fn(&S::Path, &R) -> String,
) -> MethodRouter<AppState>
where
    S: Page,
    I: DeserializeOwned + Send + 'static,
    R: Send + 'static,
    F: Fn(Tools, Actor, S::Key, I, Upload) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, AppError>> + Send + 'static,
{
    let with_file = move |tools, actor, key, (input, file): (I, Upload)| {
        use_case(tools, actor, key, input, file)
    };
    form_with::<S, I, Upload, R, _>(method, name, with_file, then)
}

/// What a write sends, read once: the input its use case takes (the fields or the JSON
/// body, or the fields and the file) and the fields to fill a form again if it is refused.
pub trait WriteBody<I>: FromRequest<AppState> + Send + 'static {
    type Input: Send + 'static;
    fn take(self) -> (Result<Self::Input, AppError>, Fields);
}

impl<I: DeserializeOwned + Send + 'static> WriteBody<I> for ApiJson<I> {
    type Input = I;

    fn take(self) -> (Result<I, AppError>, Fields) {
        (Ok(self.0), Fields::new())
    }
}

impl<I: DeserializeOwned + Serialize + Send + 'static> WriteBody<I> for Submitted<I> {
    type Input = I;

    fn take(self) -> (Result<I, AppError>, Fields) {
        let typed = self.echo();
        (self.input.map_err(AppError::from), typed)
    }
}

impl<I: DeserializeOwned + Send + 'static> WriteBody<I> for Upload {
    type Input = (I, Upload);

    fn take(self) -> (Result<(I, Upload), AppError>, Fields) {
        let typed = self.fields.clone();
        let input = self.input::<I>().map_err(AppError::from);
        (input.map(|input| (input, self)), typed)
    }
}

/// The handler of a back-office form on a subject's page: the body read, the use case run,
/// then on to what `then` names, or the page again with the refusal above the form `name`
/// and what was typed in it.
fn form_with<S, I, B, R, F>(
    method: MethodFilter,
    name: &'static str,
    use_case: F,
    then: fn(&S::Path, &R) -> String,
) -> MethodRouter<AppState>
where
    S: Page,
    B: WriteBody<I>,
    R: Send + 'static,
    F: UseCase<S::Key, B::Input, R>,
{
    write_on::<S, I, B, R, F, _, _>(
        method,
        use_case,
        move |s, staff, path, result, typed| async move {
            match result {
                Ok(done) => see_other(&then(&path, &done)),
                Err(e) => {
                    let typed = Typed::of_form(name, typed);
                    S::page(&s, &staff.visitor, path, Some(&e), typed).await
                }
            }
        },
    )
}

/// The API's counterpart of [`upload_form`]: the fields read into `I`, the use case run
/// with the file, its answer sent or the refusal as problem details.
pub fn json_upload<S, I, R, F, Fut>(method: MethodFilter, use_case: F) -> MethodRouter<AppState>
where
    S: Subject,
    I: DeserializeOwned + Send + 'static,
    R: IntoResponse + Send + 'static,
    F: Fn(Tools, Actor, S::Key, I, Upload) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, AppError>> + Send + 'static,
{
    let with_file = move |tools, actor, key, (input, file): (I, Upload)| {
        use_case(tools, actor, key, input, file)
    };
    json_with::<S, I, Upload, R, _>(method, with_file)
}
