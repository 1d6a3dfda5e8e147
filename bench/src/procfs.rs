//! What `/proc` tells about a server: the processes of its tree, their CPU time and their
//! memory. Linux only, as the bench machine is.

use std::collections::HashMap;

/// Clock ticks per second of `/proc/*/stat` times (`getconf CLK_TCK`; 100 on Linux).
pub fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|t| *t > 0.0)
        .unwrap_or(100.0)
}

/// The numeric fields of `/proc/PID/stat` after the command name and state: index 0 is
/// field 4 (`ppid`), index `i` is field `i + 4`.
fn stat_fields(pid: u32) -> Option<Vec<u64>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &text[text.rfind(')')? + 1..];
    Some(
        after
            .split_whitespace()
            .skip(1) // state
            .map(|f| f.parse::<i64>().map_or(0, |v| v.max(0).unsigned_abs()))
            .collect(),
    )
}

/// Parent of `pid`.
fn ppid(pid: u32) -> Option<u32> {
    stat_fields(pid)?
        .first()
        .and_then(|p| u32::try_from(*p).ok())
}

/// `root` and every process below it, now.
pub fn tree(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(parent) = ppid(pid) {
                children.entry(parent).or_default().push(pid);
            }
        }
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i]) {
            out.extend(kids.iter().copied());
        }
        i += 1;
    }
    out
}

/// CPU seconds (user + system) used so far by `pids`, plus the children they have reaped.
pub fn cpu_seconds(pids: &[u32], ticks: f64) -> f64 {
    let mut total = 0u64;
    for pid in pids {
        if let Some(f) = stat_fields(*pid) {
            // utime, stime, cutime, cstime are fields 14..=17: indexes 10..=13 here.
            total += f.get(10..14).map_or(0, |s| s.iter().sum());
        }
    }
    total as f64 / ticks
}

/// A `kB` line of `/proc/PID/status`, in bytes.
fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .map(|kb| kb * 1024)
}

/// Resident memory of `pids` together, in bytes.
pub fn rss_bytes(pids: &[u32]) -> u64 {
    pids.iter().filter_map(|p| status_kb(*p, "VmRSS:")).sum()
}

/// Busy and total CPU time of the whole machine so far, in ticks (`/proc/stat`); busy is all
/// but idle and iowait.
pub fn machine_ticks() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = text.lines().find(|l| l.starts_with("cpu ")) else {
        return (0, 0);
    };
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total: u64 = v.iter().take(8).sum();
    let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
    (total.saturating_sub(idle), total)
}

/// CPU seconds used so far by this process (the load generator).
pub fn self_cpu_seconds(ticks: f64) -> f64 {
    cpu_seconds(&[std::process::id()], ticks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_cpu_time_grows_with_work_and_never_beats_the_clock() {
        let ticks = clock_ticks();
        let before = self_cpu_seconds(ticks);
        let start = std::time::Instant::now();
        let mut x = 0u64;
        // Spin until 0.3 s of CPU is counted (a busy machine may give us less than a core).
        while self_cpu_seconds(ticks) - before < 0.3 {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
            assert!(start.elapsed().as_secs() < 30, "CPU time did not grow");
        }
        let used = self_cpu_seconds(ticks) - before;
        // One thread cannot use more CPU than wall time (plus a tick of rounding).
        assert!(
            used <= start.elapsed().as_secs_f64() + 2.0 / ticks,
            "used {used} s"
        );
    }

    #[test]
    fn tree_holds_children_and_memory_is_read() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let me = std::process::id();
        let pids = tree(me);
        assert_eq!(pids[0], me);
        assert!(pids.contains(&child.id()), "{pids:?}");
        assert!(rss_bytes(&[me]) > 1024 * 1024);
        let (busy, total) = machine_ticks();
        assert!(total > 0 && busy <= total);
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
