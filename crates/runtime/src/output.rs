//! `print`: a line goes into the process's ring, tagged with the thread that printed it, and
//! the host shows it. The printing thread never waits for the page, unless the page has
//! fallen a whole ring (1 MiB) behind: then it waits for room rather than lose lines.

use crate::runtime::Runtime;
use crate::watch::RecordKind;
use std::fmt;

/// Prints on stdout (`stream` 1) or stderr (2); a text with newlines makes several lines.
pub fn print_line(stream: u32, args: fmt::Arguments<'_>) {
    pp_platform::stop::check();
    crate::gil::scheduling_point(crate::watch::step::Point::Print);
    let rt = Runtime::current();
    let me = crate::watch::my_id();
    let write = |line: &str| rt.table.ring.push_stamped(RecordKind::Line, me, stream, rt.line_stamp(), line.as_bytes());
    match args.as_str() {
        Some(s) if !s.contains('\n') => write(s),
        _ => args.to_string().split('\n').for_each(write),
    }
    crate::gil::checkpoint();
}

/// Tells the page that the program's source does not compile at `line`, `column` (1-based):
/// it marks the place in its editor. (What the error says is printed as well, as Python
/// prints it.)
pub fn source_error(line: u32, column: u32, message: &str) {
    let rt = Runtime::current();
    let payload = crate::watch::record::encode_source_error(column, message);
    rt.table.ring.push(RecordKind::SourceError, crate::watch::my_id(), line, &payload);
}

/// The ports' `print(...)`: a line in the run's console, tagged with the printing thread.
/// It shadows std's `println!` where a port imports it (`use crate::println;`).
#[macro_export]
macro_rules! println {
    () => { $crate::output::print_line(1, format_args!("")) };
    ($($arg:tt)*) => { $crate::output::print_line(1, format_args!($($arg)*)) };
}

/// `print(..., file=sys.stderr)`.
#[macro_export]
macro_rules! eprintln {
    () => { $crate::output::print_line(2, format_args!("")) };
    ($($arg:tt)*) => { $crate::output::print_line(2, format_args!($($arg)*)) };
}
