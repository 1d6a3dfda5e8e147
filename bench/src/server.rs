//! Starting and stopping the servers under test: each on a free loopback port, with its data in
//! a fresh temporary directory, its output in a log file there, and stopped by its PID.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::procfs;

/// Which implementation a server is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cognate,
    Moto,
    CognitoLocal,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cognate => "cognate",
            Kind::Moto => "moto",
            Kind::CognitoLocal => "cognito-local",
        }
    }

    pub fn parse(s: &str) -> Result<Kind> {
        Ok(match s {
            "cognate" => Kind::Cognate,
            "moto" => Kind::Moto,
            "cognito-local" => Kind::CognitoLocal,
            other => bail!("unknown server {other:?} (cognate, moto, cognito-local)"),
        })
    }
}

/// Where the programs are.
#[derive(Debug, Clone)]
pub struct Programs {
    pub cognate: PathBuf,
    pub moto_server: PathBuf,
    pub node: PathBuf,
    pub cognito_local: PathBuf,
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    pub base: String,
    pub pid: u32,
    pub dir: PathBuf,
    child: Child,
    stopped: bool,
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").context("binding a free port")?;
    Ok(l.local_addr()?.port())
}

fn absolute(p: &Path) -> Result<PathBuf> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(p))
    }
}

impl Server {
    pub fn start(kind: Kind, programs: &Programs) -> Result<Server> {
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!(
            "cognate-bench-{}-{}-{port}",
            std::process::id(),
            kind.name()
        ));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let log = std::fs::File::create(dir.join("server.log"))?;
        let mut cmd = match kind {
            Kind::Cognate => {
                let mut c = Command::new(absolute(&programs.cognate)?);
                c.arg("serve")
                    .arg("--dev")
                    .arg("--listen")
                    .arg(format!("127.0.0.1:{port}"))
                    .arg("--data-dir")
                    .arg(dir.join("data"));
                c
            }
            Kind::Moto => {
                let mut c = Command::new(absolute(&programs.moto_server)?);
                c.arg("-H").arg("127.0.0.1").arg("-p").arg(port.to_string());
                c
            }
            Kind::CognitoLocal => {
                // Its database and config live in `.cognito/` under the working directory. Its
                // default pool settings make usernames emails (UsernameAttributes ["email"]);
                // the bench's pools are Cognito's default kind, with plain usernames.
                std::fs::create_dir_all(dir.join(".cognito"))?;
                std::fs::write(
                    dir.join(".cognito/config.json"),
                    r#"{"UserPoolDefaults":{"UsernameAttributes":[]}}"#,
                )?;
                let mut c = Command::new(&programs.node);
                c.arg(absolute(&programs.cognito_local)?)
                    .env("PORT", port.to_string())
                    .env("HOST", "127.0.0.1");
                c
            }
        };
        cmd.current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {} ({cmd:?})", kind.name()))?;
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            pid: child.id(),
            dir,
            child,
            stopped: false,
        };
        if let Err(e) = server.wait_ready(port) {
            let tail = server.log_tail();
            server.stop();
            bail!("{} did not start: {e}\n{tail}", kind.name());
        }
        Ok(server)
    }

    fn wait_ready(&mut self, port: u16) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("exited with {status}");
            }
            if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("not listening on {addr} after 60 s")
    }

    /// The last lines of the server's log.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// The server's processes now (the one started and any below it).
    pub fn pids(&self) -> Vec<u32> {
        procfs::tree(self.pid)
    }

    /// Stops the server by PID: SIGTERM to its processes, SIGKILL after 5 s; removes its data.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let pids = self.pids();
        for pid in &pids {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    break;
                }
            }
        }
        for pid in pids.iter().skip(1) {
            if Path::new(&format!("/proc/{pid}")).exists() {
                let _ = Command::new("kill")
                    .arg("-KILL")
                    .arg(pid.to_string())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
        }
        if std::env::var_os("COGNATE_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
