//! Separate cores for the server and the load generator, for the flows whose client does as
//! much arithmetic per request as the server (the SRP sign-in: the client's exponentiation
//! costs about what the server's does). Sharing the cores there would measure the two
//! together, not the server; with a core of its own the load generator no longer takes
//! cycles from the server, and the flow's bound counts only the server's cores.
//!
//! Affinity is set with `taskset -a -p` (util-linux) on every thread of every process, so
//! threads started later inherit it; it is undone after the flow.

use std::fmt;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// The CPUs this process may run on, from `Cpus_allowed_list` in `/proc/self/status`
/// (e.g. `0-3,6`).
pub fn allowed() -> Result<Vec<usize>> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let list = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .context("no Cpus_allowed_list in /proc/self/status")?;
    parse_list(list.trim())
}

fn parse_list(list: &str) -> Result<Vec<usize>> {
    let mut cpus = Vec::new();
    for part in list.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) = (a.parse()?, b.parse()?);
                cpus.extend(a..=b);
            }
            None => cpus.push(part.parse()?),
        }
    }
    if cpus.is_empty() {
        bail!("empty CPU list {list:?}");
    }
    Ok(cpus)
}

fn list(cpus: &[usize]) -> String {
    cpus.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Puts every thread of `pids` on `cpus`.
fn pin(pids: &[u32], cpus: &[usize]) -> Result<()> {
    for pid in pids {
        let status = Command::new("taskset")
            .args(["-a", "-p", "-c", &list(cpus), &pid.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .context("running taskset (util-linux)")?;
        // A process that exited meanwhile has nothing left to pin.
        if !status.status.success() && std::path::Path::new(&format!("/proc/{pid}")).exists() {
            bail!(
                "taskset on {pid}: {}",
                String::from_utf8_lossy(&status.stderr).trim()
            );
        }
    }
    Ok(())
}

/// The server on all CPUs but the last, the load generator (this process) on the last one.
#[derive(Debug, Clone)]
pub struct Split {
    pub server: Vec<usize>,
    pub load: Vec<usize>,
    all: Vec<usize>,
    server_pids: Vec<u32>,
}

impl Split {
    /// Splits the CPUs; `None` on a machine with a single one.
    pub fn apply(server_pids: &[u32]) -> Result<Option<Split>> {
        let all = allowed()?;
        let Some((last, rest)) = all.split_last() else {
            return Ok(None);
        };
        if rest.is_empty() {
            return Ok(None);
        }
        let split = Split {
            server: rest.to_vec(),
            load: vec![*last],
            all: all.clone(),
            server_pids: server_pids.to_vec(),
        };
        pin(server_pids, &split.server)?;
        pin(&[std::process::id()], &split.load)?;
        Ok(Some(split))
    }

    /// Gives both sides every CPU again.
    pub fn undo(&self) -> Result<()> {
        pin(&[std::process::id()], &self.all)?;
        pin(&self.server_pids, &self.all)
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "server on CPU {}, load generator on CPU {}",
            list(&self.server),
            list(&self.load)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lists_parse() -> Result<()> {
        assert_eq!(parse_list("0-1")?, vec![0, 1]);
        assert_eq!(parse_list("0,2-4,7")?, vec![0, 2, 3, 4, 7]);
        assert!(parse_list("").is_err());
        assert!(parse_list("a-b").is_err());
        Ok(())
    }
}
