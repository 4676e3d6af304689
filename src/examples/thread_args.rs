// In [7]: the thread's arguments are the target's arguments (here, the closure's capture).
use pp_runtime::println;
use pp_runtime::threading::{self, Thread};
use pp_runtime::PyResult;

fn re_seq(seq: &str) {
    // seq[::-1].translate(str.maketrans('ATCGatcg', 'TAGCtagc'))
    let complement: String = seq
        .chars()
        .rev()
        .map(|c| match c {
            'A' => 'T',
            'T' => 'A',
            'C' => 'G',
            'G' => 'C',
            'a' => 't',
            't' => 'a',
            'c' => 'g',
            'g' => 'c',
            c => c,
        })
        .collect();
    println!("{complement}");
    println!("{}", threading::current_thread());
}

pub fn main(_: &super::Params) -> PyResult<()> {
    let t = Thread::new(|| re_seq("atcgatcg")).with_name("chenzhi");
    t.start()?;
    println!("{}", threading::current_thread());
    Ok(())
}
