//! The `devserver` command: parses the flags, opens the data, seeds the demo
//! set when asked, and serves.

use devserver::{app::App, config::Config, config::HELP, demo, server};
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match Config::parse(&args) {
        Ok(Some(c)) => c,
        Ok(None) => {
            print!("{HELP}");
            return;
        }
        Err(e) => {
            eprintln!("devserver: {e}");
            std::process::exit(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("devserver: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = rt.block_on(async move {
        let app = App::new(cfg)?;
        app.startup_tasks();
        if app.cfg.demo {
            demo::seed(&app, false)?;
        }
        let (listener, addr) = server::bind(&app).await?;
        // The one line callers wait for (scripts/*.sh, the tests).
        let mut out = std::io::stdout();
        writeln!(
            out,
            "devserver listening on http://{}:{}",
            addr.ip(),
            addr.port()
        )?;
        out.flush()?;
        server::run(app, listener).await
    });
    if let Err(e) = result {
        eprintln!("devserver: {e}");
        std::process::exit(1);
    }
}
