//! Death tests: how a test proves that a failure inside a thread or a child process ends its
//! test at once (`pp_runtime::runtime::unexpected_panic` aborts the process), even where the
//! test's own thread waits for that thread with no deadline. The scenario runs in a fresh
//! copy of the test binary; the test checks that the copy died, with the message, in time.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable that tells a copy of the test binary to run the scenario.
const SCENARIO: &str = "PP_DEATH_TEST";

/// How long the scenario may take to die: "at once", with room for a loaded machine.
const WITHIN: Duration = Duration::from_secs(20);

/// Runs `scenario` in a copy of this test binary (test `name`, a top-level `#[test]` of the
/// file that calls this) and asserts that the copy ended abnormally within seconds, saying
/// `message` on stderr.
pub fn assert_dies(name: &str, message: &str, scenario: impl FnOnce()) {
    if std::env::var(SCENARIO).as_deref() == Ok(name) {
        scenario();
        return; // It did not die: the copy's test passes, which the parent reports.
    }
    let started = Instant::now();
    let mut child = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(SCENARIO, name)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("a copy of the test binary starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("the copy's status") {
            break status;
        }
        if started.elapsed() > WITHIN {
            let _ = child.kill();
            panic!("{name}: the scenario still ran after {WITHIN:?}: a failure inside it did not end the test");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    let _ = child.stderr.take().expect("piped stderr").read_to_string(&mut stderr);
    assert!(!status.success(), "{name}: the scenario's test passed, but it should have died:\n{stderr}");
    assert!(stderr.contains(message), "{name}: died without saying {message:?}:\n{stderr}");
}
