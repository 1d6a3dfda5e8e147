//! Delivery of email and SMS messages. The engine composes a message; a [`Sender`] delivers it.
//! `LogSender` keeps what it would have sent in memory (the development outbox) and logs it.

use async_trait::async_trait;
use serde::Serialize;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboundMessage {
    pub pool_id: String,
    pub username: String,
    pub channel: Channel,
    /// Email address or phone number.
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    /// Why it was sent, in Cognito's trigger-source words (e.g. `AdminCreateUser`).
    pub reason: String,
    pub sent_at_ms: i64,
}

#[async_trait]
pub trait Sender: Send + Sync + 'static {
    async fn send(&self, message: OutboundMessage) -> Result<(), String>;
}

/// Logs each message and keeps the most recent ones for `/_dev/outbox`.
#[derive(Debug, Default)]
pub struct LogSender {
    outbox: Mutex<Vec<OutboundMessage>>,
}

/// How many messages the in-memory outbox keeps before dropping the oldest.
const OUTBOX_CAPACITY: usize = 10_000;

impl LogSender {
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages sent so far, oldest first.
    pub fn outbox(&self) -> Vec<OutboundMessage> {
        match self.outbox.lock() {
            Ok(o) => o.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

#[async_trait]
impl Sender for LogSender {
    async fn send(&self, message: OutboundMessage) -> Result<(), String> {
        tracing::info!(
            pool = %message.pool_id,
            channel = ?message.channel,
            recipient = %message.recipient,
            subject = ?message.subject,
            body = %message.body,
            "message sent (log sender)"
        );
        let mut outbox = match self.outbox.lock() {
            Ok(o) => o,
            Err(poisoned) => poisoned.into_inner(),
        };
        if outbox.len() >= OUTBOX_CAPACITY {
            outbox.remove(0);
        }
        outbox.push(message);
        Ok(())
    }
}
