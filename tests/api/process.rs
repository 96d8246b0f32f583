//! The real binary as a child process: for restarts, crashes, two servers on one file, the CLI, and what
//! the server writes (its banner and its log).
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_twilio-emulator");

/// A config file with cheap argon2 and no seeded tenant, kept alive as long as the value.
pub struct TestConfig {
    file: tempfile::NamedTempFile,
}

impl TestConfig {
    pub fn new(extra: &str) -> Self {
        Self::new_with_argon2(extra, 64, 1)
    }

    pub fn new_with_argon2(extra: &str, memory_kib: u32, iterations: u32) -> Self {
        Self::write(extra, memory_kib, iterations, "")
    }

    /// The same, seeding the tenants given as TOML inline tables, one a line.
    pub fn seeding(extra: &str, accounts: &[&str]) -> Self {
        Self::write(extra, 64, 1, &accounts.join(",\n"))
    }

    fn write(extra: &str, memory_kib: u32, iterations: u32, accounts: &str) -> Self {
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        let argon2 = format!("[argon2]\nmemory_kib = {memory_kib}\niterations = {iterations}\nparallelism = 1");
        writeln!(file, "{extra}\n{argon2}\n[seed]\naccounts = [\n{accounts}\n]").unwrap();
        Self { file }
    }

    pub fn path(&self) -> &std::path::Path {
        self.file.path()
    }
}

/// Runs `twilio-emulator ARGS` to completion with the test config.
pub fn run_cli(config: &TestConfig, database_url: &str, args: &[&str]) -> Output {
    run_cli_with(config, database_url, args, &[], b"")
}

/// The same with more environment variables and the given stdin.
pub fn run_cli_with(
    config: &TestConfig,
    database_url: &str,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &[u8],
) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("TWILIO_EMULATOR_CONFIG", config.path())
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the binary");
    // A command that does not read stdin may exit first: a broken pipe is not an error here.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().expect("run the binary")
}

/// The start banner's address: the text line `twilio-emulator listening on ADDRESS`, or with JSON logs the
/// event `{"message":"listening","address":"ADDRESS",...}`. The shell readers parse the same two forms.
pub fn banner_address(line: &str) -> Option<String> {
    if let Some(address) = line.strip_prefix("twilio-emulator listening on ") {
        return Some(address.to_owned());
    }
    let event: serde_json::Value = serde_json::from_str(line).ok()?;
    let address = event["address"].as_str().filter(|_| event["message"] == "listening")?;
    Some(address.to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Every line a server wrote, in order, with the stream it came on.
type Lines = Arc<Mutex<Vec<(Stream, String)>>>;

/// Keeps the lines of one stream, and sends the banner's address when it comes.
fn follow(stream: Stream, reader: impl Read + Send + 'static, lines: Lines, banner: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines().map_while(Result::ok) {
            if let Some(address) = banner_address(&line) {
                let _ = banner.send(address);
            }
            lines.lock().unwrap().push((stream, line));
        }
    });
}

pub struct ServerProcess {
    pub child: Child,
    pub address: String,
    lines: Lines,
}

impl ServerProcess {
    /// Starts `serve` on a free port and waits (at most 30 s) for its banner.
    pub fn start(config: &TestConfig, database_url: &str) -> Self {
        Self::start_with(config, database_url, "warn", &[], Some(Stdio::null()))
    }

    /// The same, with the log level and where stderr (the log) goes.
    pub fn start_logging(config: &TestConfig, database_url: &str, level: &str, log: impl Into<Stdio>) -> Self {
        Self::start_with(config, database_url, level, &[], Some(log.into()))
    }

    /// The same, with more environment variables; `log: None` keeps stderr's lines for `lines`.
    pub fn start_with(
        config: &TestConfig,
        database_url: &str,
        level: &str,
        env: &[(&str, &str)],
        log: Option<Stdio>,
    ) -> Self {
        let mut child = Command::new(BIN)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("TWILIO_EMULATOR_CONFIG", config.path())
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", level)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(log.unwrap_or_else(Stdio::piped))
            .spawn()
            .expect("start the server");
        let lines = Lines::default();
        let (sender, receiver) = mpsc::channel();
        follow(Stream::Stdout, child.stdout.take().unwrap(), lines.clone(), sender.clone());
        if let Some(stderr) = child.stderr.take() {
            follow(Stream::Stderr, stderr, lines.clone(), sender);
        }
        let started = Instant::now();
        let address = receiver.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("server did not start within {:?}", started.elapsed())
        });
        Self { child, address, lines }
    }

    /// The lines written on `stream` so far.
    pub fn lines(&self, stream: Stream) -> Vec<String> {
        let lines = self.lines.lock().unwrap();
        lines.iter().filter(|(from, _)| *from == stream).map(|(_, line)| line.clone()).collect()
    }

    /// Waits (at most 10 s) until a line on `stream` contains `text`.
    pub fn wait_for_line(&self, stream: Stream, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.lines(stream).iter().any(|line| line.contains(text)) {
            assert!(Instant::now() < deadline, "no {text:?} on {stream:?}: {:?}", self.lines(stream));
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then the exit status (at most `wait` later, else the test fails).
    pub fn terminate(mut self, wait: Duration) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let deadline = Instant::now() + wait;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "no exit within {wait:?} of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill_hard(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
