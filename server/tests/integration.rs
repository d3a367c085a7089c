//! The server through its real transports, in one test binary: each module a part of the desk
//! (a server on an ephemeral port against a fresh SQLite file or PostgreSQL database, with real
//! mail servers, object storage and DNS where the part needs them). One binary links once.
//!
//! Run one part: `cargo test -p server --test integration desk::` (or `chaos`, `mail`, …).

#[macro_use]
mod common;

mod accounts;
mod admin;
mod bad_input;
mod callbacks;
mod calls;
mod chaos;
mod cli;
mod desk;
mod drafts;
mod feedback;
mod follow;
mod imap;
mod incoming;
mod mail;
mod mailview;
mod nodes;
mod outbox;
mod parameters;
mod places;
mod presence;
mod search;
mod signup;
mod sockets;
mod spam;
mod stale;
mod stall;
mod store;
mod takes;
mod tokens;
mod trust;
mod uploads;
mod voice;
mod widget;
mod workflow;
