//! The telephony system's side of the call centre: asking Asterisk to dial (the Manager
//! Interface), and speaking to it as the voice menu's script (FastAGI).

pub mod agi;
pub mod ami;
