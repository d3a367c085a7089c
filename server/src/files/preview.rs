//! Previews of pictures, made on the server from the picture itself. Decoding is bounded —
//! dimensions and the memory a decoder may take are capped before any pixel is read — so a
//! small file that unpacks into billions of pixels (a decompression bomb) is refused rather
//! than allowed to eat memory; and at most two pictures are decoded at once.

use std::{io::Cursor, sync::LazyLock};

use image::{ImageFormat, ImageReader, Limits, codecs::jpeg::JpegEncoder};
use tokio::sync::Semaphore;

/// Longest side of a preview, in pixels (twice what the conversation shows, for sharp
/// pictures on dense screens).
pub const EDGE: u32 = 480;
/// Widest and tallest picture opened.
const MAX_SIDE: u32 = 16_384;
/// Most memory one decoder may allocate (about 64 megapixels of RGB).
const MAX_ALLOC: u64 = 192 * 1024 * 1024;
/// Largest picture file given a preview; bigger ones are kept as documents.
pub const MAX_SOURCE_BYTES: u64 = 40 * 1024 * 1024;

/// Decoders running at once.
static DECODERS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// A preview made.
#[derive(Debug)]
pub struct Preview {
    /// The picture's own size.
    pub width: u32,
    pub height: u32,
    /// The preview: JPEG for opaque pictures, PNG where they are see-through.
    pub bytes: Vec<u8>,
}

/// A picture that could not be given a preview.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the picture is too large to open ({width} × {height} pixels; at most {MAX_SIDE} a side and about 64 megapixels)"
    )]
    TooManyPixels { width: u32, height: u32 },
    #[error("the picture cannot be read: {0}")]
    Unreadable(String),
}

/// Whether files of `content_type` get a preview.
pub fn applies(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// Makes the preview of the picture in `bytes`, off the async threads.
pub async fn make(bytes: bytes::Bytes) -> Result<Preview, Error> {
    let _permit = DECODERS
        .acquire()
        .await
        .map_err(|_| Error::Unreadable("shutting down".into()))?;
    tokio::task::spawn_blocking(move || make_now(&bytes))
        .await
        .map_err(|e| Error::Unreadable(e.to_string()))?
}

fn make_now(bytes: &[u8]) -> Result<Preview, Error> {
    let unreadable = |e: image::ImageError| Error::Unreadable(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::Unreadable(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    // The header alone tells the size: refuse before decoding.
    let (width, height) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::Unreadable(e.to_string()))?
        .into_dimensions()
        .map_err(unreadable)?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) * 3 > MAX_ALLOC
    {
        return Err(Error::TooManyPixels { width, height });
    }
    let picture = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Error::TooManyPixels { width, height },
        other => unreadable(other),
    })?;
    let small = if width > EDGE || height > EDGE {
        picture.thumbnail(EDGE, EDGE)
    } else {
        picture
    };
    let mut out = Vec::new();
    if small.color().has_alpha() {
        small
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(unreadable)?;
    } else {
        small
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 82))
            .map_err(unreadable)?;
    }
    Ok(Preview {
        width,
        height,
        bytes: out,
    })
}

/// The type of a preview's bytes.
pub fn content_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else {
        "image/jpeg"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encodes");
        out
    }

    #[test]
    fn a_picture_gets_a_small_preview_keeping_its_shape() {
        let preview = make_now(&png(1200, 600)).expect("a preview");
        assert_eq!((preview.width, preview.height), (1200, 600));
        assert_eq!(content_type(&preview.bytes), "image/jpeg");
        let back = image::load_from_memory(&preview.bytes).expect("decodes");
        assert_eq!((back.width(), back.height()), (480, 240));
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        // A 30,000 × 30,000 PNG of one colour: a few hundred kilobytes that would unpack into
        // 2.7 GB of pixels.
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, 30_000, 30_000);
            encoder.set_color(png::ColorType::Grayscale);
            let mut writer = encoder.write_header().expect("header");
            let mut stream = writer.stream_writer().expect("a stream");
            let row = vec![0u8; 30_000];
            for _ in 0..30_000 {
                std::io::Write::write_all(&mut stream, &row).expect("a row");
            }
            stream.finish().expect("finished");
        }
        assert!(out.len() < 5_000_000, "the bomb is small: {}", out.len());
        assert!(matches!(
            make_now(&out),
            Err(Error::TooManyPixels {
                width: 30_000,
                height: 30_000
            })
        ));
        assert!(matches!(
            make_now(b"\x89PNG\r\n\x1a\nnot really"),
            Err(Error::Unreadable(_))
        ));
    }
}
