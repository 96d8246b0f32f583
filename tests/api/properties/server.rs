//! The harness of the HTTP properties: one running server with two tenants, who calls, and what each caller may see.
use super::answers::{check_answer, check_no_leak, Answer};
use super::{fail, tally};
use crate::helpers::{Backend, Creds, Reply, TestApp};
use proptest::test_runner::TestCaseError;
use reqwest::Method;

/// The list in each format: JSON, XML, and XML by default.
pub(super) const LIST_PATHS: [&str; 3] =
    ["/2010-04-01/Accounts.json", "/2010-04-01/Accounts.xml", "/2010-04-01/Accounts"];

/// Who sends a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Caller {
    Anonymous,
    /// The main account's SID with a wrong token.
    WrongToken,
    Main,
    Sub,
    /// The main account of another tenant.
    Other,
}

/// Every caller, authenticated ones more often.
pub(super) const CALLERS: [Caller; 8] = [
    Caller::Anonymous,
    Caller::WrongToken,
    Caller::Main,
    Caller::Main,
    Caller::Sub,
    Caller::Sub,
    Caller::Other,
    Caller::Other,
];

/// One running server on SQLite with two tenants: `main` with `sub`, `other` with `other_sub`.
pub(super) struct Server {
    app: Option<TestApp>,
    pub main: Creds,
    pub sub: Creds,
    pub other: Creds,
    pub other_sub: Creds,
    pub runtime: tokio::runtime::Runtime,
}

impl Server {
    pub fn start() -> Self {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
        let (app, main, sub, other, other_sub) = runtime.block_on(async {
            let app = TestApp::spawn(Backend::Sqlite).await;
            let main = app.tenant("Main").await;
            let sub = app.subaccount(&main, "Sub").await;
            let other = app.tenant("Other").await;
            let other_sub = app.subaccount(&other, "Other sub").await;
            (app, main, sub, other, other_sub)
        });
        Self { app: Some(app), main, sub, other, other_sub, runtime }
    }

    pub fn app(&self) -> &TestApp {
        self.app.as_ref().expect("the app runs until the server drops")
    }

    pub fn creds(&self, caller: Caller) -> Option<Creds> {
        match caller {
            Caller::Anonymous => None,
            Caller::WrongToken => {
                Some(Creds { sid: self.main.sid.clone(), token: "0123456789abcdef0123456789abcdef".into() })
            }
            Caller::Main => Some(self.main.clone()),
            Caller::Sub => Some(self.sub.clone()),
            Caller::Other => Some(self.other.clone()),
        }
    }

    fn known(&self) -> [&str; 4] {
        [&self.main.sid, &self.sub.sid, &self.other.sid, &self.other_sub.sid]
    }

    /// The SIDs a caller may see in an answer (a subaccount sees its owner's SID).
    pub fn visible(&self, caller: Caller) -> Vec<&str> {
        match caller {
            Caller::Anonymous | Caller::WrongToken => vec![],
            Caller::Main | Caller::Sub => vec![&self.main.sid, &self.sub.sid],
            Caller::Other => vec![&self.other.sid, &self.other_sub.sid],
        }
    }

    /// The SIDs a caller may read or change.
    pub fn reachable(&self, caller: Caller) -> Vec<&str> {
        match caller {
            Caller::Anonymous | Caller::WrongToken => vec![],
            Caller::Main => vec![&self.main.sid, &self.sub.sid],
            Caller::Sub => vec![&self.sub.sid],
            Caller::Other => vec![&self.other.sid, &self.other_sub.sid],
        }
    }

    /// The URL reqwest will send for a path (and query), as the server will see it.
    pub fn url(&self, path: &str) -> Result<reqwest::Url, TestCaseError> {
        reqwest::Url::parse(&format!("{}{path}", self.app().address))
            .map_err(|e| fail(format!("not a URL ({e}): {path:?}")))
    }

    /// The SIDs of both tenants and one nobody has, for strategies to pick from.
    pub fn sids(&self) -> Vec<String> {
        vec![
            self.main.sid.clone(),
            self.sub.sid.clone(),
            self.other.sid.clone(),
            self.other_sub.sid.clone(),
            "AC0123456789abcdef0123456789abcdef".to_owned(),
        ]
    }

    pub fn request(&self, method: Method, path: &str, caller: Caller) -> reqwest::RequestBuilder {
        with_auth(self.app().raw(method, path), self.creds(caller).as_ref())
    }

    /// A request with this body, these credentials and this content type (`None`: no header).
    pub fn send_body(
        &self,
        method: Method,
        path: &str,
        creds: Option<&Creds>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut request = with_auth(self.app().raw(method, path).body(body), creds);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        self.execute(request)
    }

    pub fn execute(&self, request: reqwest::RequestBuilder) -> Reply {
        self.runtime.block_on(self.app().execute(request))
    }

    /// Checks a reply's shape (`check_answer`), counts it in the property's tally, and checks
    /// that it shows only SIDs in `visible`, in `request`, or new ones.
    pub fn check(&self, reply: &Reply, path: &str, visible: &[&str], request: &str) -> Result<Answer, TestCaseError> {
        let answer = check_answer(reply, path)?;
        tally(&answer, reply.status.as_u16());
        check_no_leak(reply, visible, &self.known(), request)?;
        Ok(answer)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _context = self.runtime.enter();
        drop(self.app.take());
    }
}

fn with_auth(request: reqwest::RequestBuilder, creds: Option<&Creds>) -> reqwest::RequestBuilder {
    match creds {
        Some(creds) => request.basic_auth(&creds.sid, Some(&creds.token)),
        None => request,
    }
}
