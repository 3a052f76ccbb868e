//! The baseline for the API load benchmark (bench/api_load.sh): a trivial actix-web server that
//! answers `GET /api/v1/branches` with the same JSON bytes from memory — no authentication, no
//! database. `cargo run --release -p sirr-server --example static_json -- FILE.json 127.0.0.1:8090`

use actix_web::{App, HttpResponse, HttpServer, web};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(bind)) = (args.next(), args.next()) else {
        eprintln!("usage: static_json FILE.json HOST:PORT");
        std::process::exit(2);
    };
    let body = web::Bytes::from(std::fs::read(&file)?);
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            let body = body.clone();
            App::new().route(
                "/api/v1/branches",
                web::get().to(move || {
                    let body = body.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .body(body)
                    }
                }),
            )
        })
        .bind(&bind)?;
        println!("listening on http://{bind}");
        server.run().await
    })
}
