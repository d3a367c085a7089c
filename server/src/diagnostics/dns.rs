//! A DNS lookup over UDP, as `dig` would make it: one question, the answer section written
//! one record a line. Answers are read with care — names compressed in loops, lengths past
//! the end, records of other types, text with any bytes — and a silent server times out.

use std::{fmt::Write, net::SocketAddr, time::Duration};

use tokio::net::UdpSocket;

use super::{Error, Record};

/// Largest answer read (EDNS is not asked for: 512 bytes is what plain DNS sends; more says
/// truncated).
const MAX_ANSWER: usize = 4096;
/// Most records written.
const MAX_RECORDS: usize = 100;

/// Asks `resolver` for the `record`s of `domain`; the answer as lines.
pub async fn lookup(
    resolver: SocketAddr,
    domain: &str,
    record: Record,
    timeout: Duration,
) -> Result<String, Error> {
    let bind: SocketAddr = if resolver.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(bind).await.map_err(Error::network)?;
    // Only the resolver's own datagrams are read.
    socket.connect(resolver).await.map_err(Error::network)?;
    let id: u16 = rand_id();
    let query = question(id, domain, record);
    let answer = tokio::time::timeout(timeout, async {
        let mut buf = vec![0u8; MAX_ANSWER];
        // Once more if the first datagram is lost.
        for _ in 0..2 {
            socket.send(&query).await.map_err(Error::network)?;
            let read = tokio::time::timeout(timeout / 2, socket.recv(&mut buf)).await;
            if let Ok(read) = read {
                let n = read.map_err(Error::network)?;
                if n >= 2 && u16::from_be_bytes([buf[0], buf[1]]) == id {
                    buf.truncate(n);
                    return Ok(buf);
                }
            }
        }
        Err(Error::Silent)
    })
    .await
    .map_err(|_| Error::Silent)??;
    read_answer(&answer, record)
}

fn rand_id() -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    (nanos ^ (nanos >> 16)) as u16
}

/// The query: a header asking for recursion, and one question.
pub fn question(id: u16, domain: &str, record: Record) -> Vec<u8> {
    let mut out = Vec::with_capacity(domain.len() + 18);
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in domain.trim_end_matches('.').split('.') {
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out.extend_from_slice(&record.code().to_be_bytes());
    out.extend_from_slice(&[0, 1]);
    out
}

/// The answer section as lines (`shop.test. 300 IN MX 10 mail.shop.test.`), or why there is
/// none.
pub fn read_answer(msg: &[u8], asked: Record) -> Result<String, Error> {
    let bad = || Error::Malformed;
    if msg.len() < 12 {
        return Err(bad());
    }
    let flags = u16::from_be_bytes([msg[2], msg[3]]);
    match flags & 0x000f {
        0 => {}
        3 => return Err(Error::NoSuchDomain),
        code => return Err(Error::Refused(code)),
    }
    let count = |at: usize| usize::from(u16::from_be_bytes([msg[at], msg[at + 1]]));
    let (questions, answers) = (count(4), count(6));
    let mut at = 12;
    for _ in 0..questions {
        at = name(msg, at, &mut String::new())?;
        at = at
            .checked_add(4)
            .filter(|a| *a <= msg.len())
            .ok_or_else(bad)?;
    }
    let mut out = String::new();
    let mut written = 0;
    for _ in 0..answers {
        let mut owner = String::new();
        at = name(msg, at, &mut owner)?;
        let fixed = msg.get(at..at + 10).ok_or_else(bad)?;
        let kind = u16::from_be_bytes([fixed[0], fixed[1]]);
        let ttl = u32::from_be_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]);
        let len = usize::from(u16::from_be_bytes([fixed[8], fixed[9]]));
        let data_at = at + 10;
        let data = msg.get(data_at..data_at + len).ok_or_else(bad)?;
        at = data_at + len;
        let Some(kind) = Record::from_code(kind) else {
            continue;
        };
        if written == MAX_RECORDS {
            out.push_str(";; more records not shown\n");
            break;
        }
        let value = match kind {
            Record::A if len == 4 => {
                std::net::Ipv4Addr::new(data[0], data[1], data[2], data[3]).to_string()
            }
            Record::Aaaa if len == 16 => {
                let mut octets = [0u8; 16];
                octets.copy_from_slice(data);
                std::net::Ipv6Addr::from(octets).to_string()
            }
            Record::Ns | Record::Cname => {
                let mut target = String::new();
                name(msg, data_at, &mut target)?;
                target
            }
            Record::Mx if len >= 3 => {
                let mut target = String::new();
                name(msg, data_at + 2, &mut target)?;
                format!("{} {target}", u16::from_be_bytes([data[0], data[1]]))
            }
            Record::Txt => text(data)?,
            _ => return Err(bad()),
        };
        let _ = writeln!(out, "{owner} {ttl} IN {} {value}", kind.as_str());
        written += 1;
    }
    if written == 0 {
        let _ = writeln!(out, ";; no {} records", asked.as_str());
    }
    if flags & 0x0200 != 0 {
        out.push_str(";; the answer was truncated\n");
    }
    Ok(out)
}

/// Reads a (possibly compressed) name at `at` into `out`; where the name ended in place.
fn name(msg: &[u8], mut at: usize, out: &mut String) -> Result<usize, Error> {
    let mut end = None;
    // A name cannot point back more often than a message has bytes to point at.
    for _ in 0..128 {
        let len = *msg.get(at).ok_or(Error::Malformed)?;
        match len {
            0 => {
                if out.is_empty() {
                    out.push('.');
                }
                return Ok(end.unwrap_or(at + 1));
            }
            l if l & 0xc0 == 0xc0 => {
                let low = *msg.get(at + 1).ok_or(Error::Malformed)?;
                end.get_or_insert(at + 2);
                at = usize::from(u16::from_be_bytes([l & 0x3f, low]));
            }
            l if l < 64 => {
                let label = msg
                    .get(at + 1..at + 1 + usize::from(l))
                    .ok_or(Error::Malformed)?;
                for &b in label {
                    push_byte(out, b, b'.');
                }
                out.push('.');
                if out.len() > 1024 {
                    return Err(Error::Malformed);
                }
                at += 1 + usize::from(l);
            }
            _ => return Err(Error::Malformed),
        }
    }
    Err(Error::Malformed)
}

/// TXT data: its strings quoted, bytes outside printable ASCII written `\ddd`.
fn text(data: &[u8]) -> Result<String, Error> {
    let mut out = String::new();
    let mut at = 0;
    while at < data.len() {
        let len = usize::from(data[at]);
        let part = data.get(at + 1..at + 1 + len).ok_or(Error::Malformed)?;
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('"');
        for &b in part {
            push_byte(&mut out, b, b'"');
        }
        out.push('"');
        at += 1 + len;
    }
    Ok(out)
}

/// A byte of a name or text as `dig` writes it.
fn push_byte(out: &mut String, b: u8, special: u8) {
    if b == special || b == b'\\' {
        out.push('\\');
        out.push(char::from(b));
    } else if b.is_ascii_graphic() || b == b' ' {
        out.push(char::from(b));
    } else {
        let _ = write!(out, "\\{b:03}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(records: &[(&[u8], u16, &[u8])]) -> Vec<u8> {
        let mut msg = question(7, "shop.test", Record::Mx);
        msg[2] = 0x81;
        msg[3] = 0x80;
        msg[7] = records.len() as u8;
        for (owner, kind, data) in records {
            msg.extend_from_slice(owner);
            msg.extend_from_slice(&kind.to_be_bytes());
            msg.extend_from_slice(&[0, 1, 0, 0, 1, 44]);
            msg.extend_from_slice(&(data.len() as u16).to_be_bytes());
            msg.extend_from_slice(data);
        }
        msg
    }

    #[test]
    fn records_are_written_as_dig_writes_them() {
        // 0xc00c points at the question's name.
        let msg = answer(&[
            (
                &[0xc0, 12],
                15,
                &[0, 10, 4, b'm', b'a', b'i', b'l', 0xc0, 12],
            ),
            (&[0xc0, 12], 16, b"\x0bv=spf1 -all\x03a\"\x01"),
            (&[0xc0, 12], 1, &[192, 0, 2, 10]),
        ]);
        assert_eq!(
            read_answer(&msg, Record::Mx).unwrap(),
            "shop.test. 300 IN MX 10 mail.shop.test.\n\
             shop.test. 300 IN TXT \"v=spf1 -all\" \"a\\\"\\001\"\n\
             shop.test. 300 IN A 192.0.2.10\n"
        );
    }

    #[test]
    fn hostile_answers_are_refused_not_followed() {
        // A name pointing at itself.
        let msg = answer(&[(&[0xc0, 27], 1, &[1, 2, 3, 4])]);
        let looped = read_answer(&msg, Record::A);
        assert!(matches!(looped, Err(Error::Malformed)), "{looped:?}");
        // A length past the end.
        let mut cut = answer(&[(&[0xc0, 12], 16, b"\x05ab")]);
        cut.truncate(cut.len() - 1);
        assert!(matches!(
            read_answer(&cut, Record::Txt),
            Err(Error::Malformed)
        ));
        assert!(matches!(
            read_answer(&[0; 5], Record::A),
            Err(Error::Malformed)
        ));
        // No such domain.
        let mut gone = answer(&[]);
        gone[3] = 0x83;
        assert!(matches!(
            read_answer(&gone, Record::A),
            Err(Error::NoSuchDomain)
        ));
        assert_eq!(
            read_answer(&answer(&[]), Record::Ns).unwrap(),
            ";; no NS records\n"
        );
    }
}
