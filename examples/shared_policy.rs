//! One policy, built once, shared by every worker thread of a server: a
//! `Policy` is immutable, `Send + Sync`, and cloning it copies a pointer.
//!
//! ```text
//! cargo run --release --example shared_policy
//! ```

use std::sync::mpsc;
use std::thread;

use borax::Policy;

fn main() {
    // In a server this comes from the configuration at start-up.
    let policy = Policy::from_toml_str(
        r#"
        extends = "basic"
        elements = [{ name = "img", attributes = ["src", "alt"] }]
        urlSchemes = ["https"]
        "#,
    )
    .expect("the policy in this example is valid");

    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for worker in 0..4 {
            let policy = policy.clone(); // an Arc clone
            let tx = tx.clone();
            s.spawn(move || {
                for request in 0..3 {
                    let comment = format!(
                        "<p>worker {worker}, request {request}</p><img src=https://e.org/{request}.png onerror=x>"
                    );
                    tx.send(policy.clean(&comment)).expect("receiver is alive");
                }
            });
        }
    });
    drop(tx);
    let mut cleaned: Vec<String> = rx.into_iter().collect();
    cleaned.sort();
    for c in &cleaned {
        println!("{c}");
    }
    assert_eq!(cleaned.len(), 12);
}
