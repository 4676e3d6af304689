// In [14]: an account whose draw() is made thread-safe with an RLock.
use pp_runtime::println;
use pp_runtime::threading::{self, RLock, Thread};
use pp_runtime::PyResult;
use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::sync::Arc;

struct Account {
    _account_no: i64,
    balance: AtomicI64,
    lock: RLock,
}

impl Account {
    fn new(account_no: i64, balance: i64) -> Account {
        Account { _account_no: account_no, balance: AtomicI64::new(balance), lock: RLock::new() }
    }

    fn draw(&self, draw_amount: i64) {
        // with self.lock: the guard releases on every path (Python's try/finally).
        let _with = self.lock.enter();
        let name = threading::current_thread().name();
        if self.balance.load(Relaxed) >= draw_amount {
            println!("{name}取钱成功！吐出钞票:{draw_amount}");
            threading::sleep(0.001);
            self.balance.fetch_sub(draw_amount, Relaxed);
            println!("\t余额为: {}", self.balance.load(Relaxed));
        } else {
            println!("{name}取钱失败！余额不足！");
        }
    }
}

pub fn main(_: &super::Params) -> PyResult<()> {
    let count = Arc::new(Account::new(1, 200));
    let c = count.clone();
    let t1 = Thread::new(move || c.draw(100));
    let c = count.clone();
    let t2 = Thread::new(move || c.draw(200));
    t1.start()?;
    t2.start()?;
    t1.join(None)?;
    t2.join(None)?;
    Ok(())
}
