//! An SMTP server for tests, shared by the API and CLI test binaries (`#[path]`): it accepts
//! every message and keeps each as its own `.eml` file in a directory. Dropping the running
//! server stops it and cuts every connection, as a server going down does.

use std::path::{Path, PathBuf};

/// The SMTP sink on a fixed port, writing each message it accepts into `dir`.
pub struct Sink {
    pub port: u16,
    pub dir: PathBuf,
}

/// A running sink: dropping it stops the server and cuts every connection, as killing a
/// server process would.
pub struct Server(tokio::task::JoinHandle<()>);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Sink {
    /// Listens at once (the port is bound when this returns); serves on the test's runtime.
    pub async fn start(&self) -> Server {
        std::fs::create_dir_all(&self.dir).unwrap();
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .unwrap();
        let dir = self.dir.clone();
        Server(tokio::spawn(async move {
            // Owned by this task: aborting it drops the set, which aborts every connection.
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                connections.spawn(serve(stream, dir.clone()));
            }
        }))
    }

    /// The messages kept so far, oldest first.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        // Still being written when not yet renamed to `.eml`.
        names.retain(|path| path.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names.iter().map(|path| std::fs::read(path).unwrap()).collect()
    }
}

/// One SMTP session, as much of RFC 5321 as a client sending mail uses: every command is
/// accepted, and each message is on disk (written under a temporary name, fsynced, renamed) before
/// the client hears "250", so a reader never sees half a message.
async fn serve(stream: tokio::net::TcpStream, dir: PathBuf) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let (read, mut write) = stream.into_split();
    let mut lines = tokio::io::BufReader::new(read);
    let mut reply = async |text: &str| write.write_all(format!("{text}\r\n").as_bytes()).await.is_ok();
    if !reply("220 sink ESMTP").await {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let answer = match verb.as_str() {
            "EHLO" => "250-sink\r\n250 8BITMIME",
            "DATA" => {
                if !reply("354 end with <CRLF>.<CRLF>").await {
                    return;
                }
                let Some(message) = read_message(&mut lines).await else {
                    return;
                };
                keep(&dir, &message);
                "250 message accepted"
            }
            "QUIT" => {
                reply("221 bye").await;
                return;
            }
            _ => "250 ok",
        };
        if !reply(answer).await {
            return;
        }
    }
}

/// The message of a DATA command, up to the line with a lone dot, dots unstuffed.
async fn read_message(lines: &mut (impl tokio::io::AsyncBufRead + Unpin)) -> Option<Vec<u8>> {
    use tokio::io::AsyncBufReadExt;
    let mut message = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        if line == b".\r\n" || line == b".\n" {
            return Some(message);
        }
        let unstuffed = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line[..]
        };
        message.extend_from_slice(unstuffed);
    }
}

fn keep(dir: &Path, message: &[u8]) {
    use std::io::Write;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!("{nanos}-{}.eml", uuid::Uuid::new_v4().simple());
    let temporary = dir.join(format!(".{name}.tmp"));
    let mut out = std::fs::File::create(&temporary).unwrap();
    out.write_all(message).unwrap();
    out.sync_all().unwrap();
    std::fs::rename(&temporary, dir.join(name)).unwrap();
}
