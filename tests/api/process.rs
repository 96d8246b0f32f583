//! The real binary as a child process: for restarts, crashes, two servers on one file, and the CLI.
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
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
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        let argon2 = format!("[argon2]\nmemory_kib = {memory_kib}\niterations = {iterations}\nparallelism = 1");
        writeln!(file, "{extra}\n{argon2}\n[seed]\naccounts = []").unwrap();
        Self { file }
    }

    pub fn path(&self) -> &std::path::Path {
        self.file.path()
    }
}

/// Runs `twilio-emulator ARGS` to completion with the test config.
pub fn run_cli(config: &TestConfig, database_url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("TWILIO_EMULATOR_CONFIG", config.path())
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the binary")
}

pub struct ServerProcess {
    pub child: Child,
    pub address: String,
}

impl ServerProcess {
    /// Starts `serve` on a free port and waits (at most 30 s) for its banner.
    pub fn start(config: &TestConfig, database_url: &str) -> Self {
        Self::start_logging(config, database_url, "warn", Stdio::null())
    }

    /// The same, with the log level and where stderr (the log) goes.
    pub fn start_logging(config: &TestConfig, database_url: &str, level: &str, log: impl Into<Stdio>) -> Self {
        let mut child = Command::new(BIN)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("TWILIO_EMULATOR_CONFIG", config.path())
            .env("DATABASE_URL", database_url)
            .env("RUST_LOG", level)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("twilio-emulator listening on ") {
                    let _ = sender.send(address.to_owned());
                }
            }
        });
        let started = Instant::now();
        let address = receiver.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("server did not start within {:?}", started.elapsed())
        });
        Self { child, address }
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
