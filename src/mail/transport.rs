//! Where emails go: an SMTP server, a directory of `.eml` files, or the log (metadata only —
//! bodies carry tokens, which never go to logs).

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::outbox::OutboxMail;
use crate::settings::MailSettings;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Log,
}

impl Transport {
    /// `smtp://[user@]host[:port][?tls=required|opportunistic]`, `smtps://…`, `file:///abs/dir`
    /// or `file://dir` (relative to the data directory), `log`.
    pub fn from_settings(settings: &MailSettings, data_dir: &Path) -> anyhow::Result<Self> {
        let spec = settings.transport.trim();
        if spec == "log" {
            return Ok(Transport::Log);
        }
        if let Some(dir) = spec.strip_prefix("file://") {
            let dir = data_dir.join(dir);
            std::fs::create_dir_all(&dir)
                .map_err(|e| anyhow::anyhow!("cannot create the mail directory {}: {e}", dir.display()))?;
            return Ok(Transport::File(AsyncFileTransport::new(&dir), dir));
        }
        if spec.starts_with("smtp://") || spec.starts_with("smtps://") {
            let url = url::Url::parse(spec).map_err(|e| anyhow::anyhow!("invalid SMTP URL: {e}"))?;
            let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(spec)
                .map_err(|e| anyhow::anyhow!("invalid SMTP URL: {e}"))?
                .timeout(Some(Duration::from_secs(15)));
            if let Some(password) = &settings.smtp_password
                && !url.username().is_empty()
            {
                builder = builder.credentials(Credentials::new(
                    url.username().to_owned(),
                    password.expose_secret().to_owned(),
                ));
            }
            return Ok(Transport::Smtp(builder.build()));
        }
        anyhow::bail!("unknown mail transport {spec:?}: use smtp://…, smtps://…, file:///dir or log")
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "smtp".into(),
            Transport::File(_, dir) => format!("file ({})", dir.display()),
            Transport::Log => "log".into(),
        }
    }

    pub async fn send(&self, from: &Mailbox, mail: &OutboxMail) -> anyhow::Result<()> {
        match self {
            Transport::Smtp(smtp) => smtp
                .send(build_message(from, mail)?)
                .await
                .map(drop)
                .map_err(Into::into),
            Transport::File(file, _) => file
                .send(build_message(from, mail)?)
                .await
                .map(drop)
                .map_err(Into::into),
            Transport::Log => {
                tracing::info!(
                    mail_id = %mail.id,
                    template = %mail.template,
                    recipient = %redact_address(&mail.recipient),
                    "email (log transport: not delivered)"
                );
                Ok(())
            }
        }
    }
}

fn build_message(from: &Mailbox, mail: &OutboxMail) -> anyhow::Result<Message> {
    Ok(Message::builder()
        .from(from.clone())
        .to(mail.recipient.parse()?)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@talentbridge>", mail.id)))
        .multipart(MultiPart::alternative_plain_html(
            mail.body_text.clone(),
            mail.body_html.clone(),
        ))?)
}

/// `li.wei@example.com` → `l***@example.com`: enough to tell mails apart in a log, not enough to
/// identify the person.
pub fn redact_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_redacted() {
        assert_eq!(redact_address("li.wei@example.com"), "l***@example.com");
        assert_eq!(redact_address("broken"), "***");
    }
}
