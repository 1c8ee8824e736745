//! Mail the newsroom sends (issue #28): invitations and password resets, over SMTP
//! with `lettre`. Set up in `warta.toml`'s `[mail]`; without it the newsroom says
//! that it cannot send mail and accounts are managed by an admin or `warta user`.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain, then `STARTTLS`, required (port 587).
    StartTls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

impl Security {
    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "tls" => Some(Security::Tls),
            "starttls" => Some(Security::StartTls),
            "none" => Some(Security::None),
            _ => None,
        }
    }
}

/// `[mail]` of `warta.toml`, checked.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, as `Name <address>` or a bare address.
    pub from: String,
}

impl MailConfig {
    /// The sender as a mailbox; the message says what is wrong with it.
    pub fn sender(&self) -> Result<Mailbox, String> {
        self.from
            .parse::<Mailbox>()
            .map_err(|e| format!("`from = \"{}\"` is not a mail address: {e}", self.from))
    }
}

/// One mail to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to_name: String,
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// Sends mail through the configured server; each message on its own connection (a
/// newsroom sends a few a day).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Where it sends (for the status page and errors).
    pub server: String,
}

/// How long one message may take to send before it is given up.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

impl Mailer {
    pub fn new(c: &MailConfig) -> Result<Mailer, String> {
        let from = c.sender()?;
        let builder = match c.security {
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host)
                .map_err(|e| format!("mail server `{}`: {e}", c.host))?,
            Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host)
                .map_err(|e| format!("mail server `{}`: {e}", c.host))?,
            Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host),
        };
        let mut builder = builder.port(c.port).timeout(Some(SEND_TIMEOUT));
        if let (Some(user), Some(password)) = (&c.username, &c.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            server: format!("{}:{}", c.host, c.port),
        })
    }

    /// Sends one plain-text message; the error says why it did not go.
    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let to = Mailbox::new(
            Some(mail.to_name.clone()).filter(|n| !n.is_empty()),
            mail.to
                .parse()
                .map_err(|e| format!("`{}` is not a mail address: {e}", mail.to))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("{}: {e}", self.server))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        assert_eq!(Security::parse("starttls"), Some(Security::StartTls));
        assert_eq!(Security::parse("ssl"), None);
        let mut c = MailConfig {
            host: "127.0.0.1".into(),
            port: 2525,
            security: Security::None,
            username: None,
            password: None,
            from: "Redaksi Warta <redaksi@warta.test>".into(),
        };
        assert!(Mailer::new(&c).is_ok());
        c.from = "redaksi at warta".into();
        let err = Mailer::new(&c).err().unwrap_or_default();
        assert!(err.contains("redaksi at warta"), "{err}");
    }
}
