//! The service over a real socket: bind, answer, shut down.

mod common;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn answers_over_a_real_socket_and_shuts_down() {
    let served = common::serve(common::real()).await;

    let mut s = TcpStream::connect(served.addr).await.unwrap();
    s.write_all(
        b"GET /api/v1/locate?lat=58.39&lon=13.85 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"namn\":\"Skövde\""), "{reply}");
    assert!(reply.to_ascii_lowercase().contains("etag: \""), "{reply}");

    served.stop().await;
}
