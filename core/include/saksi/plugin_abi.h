/*
 * saksi/plugin_abi.h -- the C ABI between the Saksi host and its plugins (C99).
 *
 * This header is the single source of truth for the plugin boundary. Only
 * plain C data crosses it: UTF-8 strings with lengths, pixel buffers, boxes
 * and numbers. No C++ type, exception, or third-party type ever does.
 *
 * Versioning: a plugin is loaded when its ABI major equals the host's and its
 * minor is not greater than the host's. Structs marked "size-prefixed" start
 * with `struct_size`; they only ever grow at the end, and a reader copies the
 * prefix it knows and zero-fills the rest. Structs not marked so are frozen.
 *
 * Naming: `saksi_*` types; hooks the plugin implements are function pointers
 * in the descriptors; callbacks the host provides are in `saksi_host_api`.
 */
#ifndef SAKSI_PLUGIN_ABI_H
#define SAKSI_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#define SAKSI_ABI_MAJOR 1
#define SAKSI_ABI_MINOR 2

#if defined(__GNUC__) || defined(__clang__)
#define SAKSI_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define SAKSI_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes returned by hooks and host callbacks ------------------ */
#define SAKSI_OK 0
#define SAKSI_ERROR 1          /* failure; details in the error buffer or the record */
#define SAKSI_E_NOT_FOUND 2    /* no such page, image or JSON value */
#define SAKSI_E_INVALID 3      /* malformed argument (bad JSON, bad pointer, bad image) */
#define SAKSI_E_DENIED 4       /* the record location is owned by the host */

/* ---- Plain data ---------------------------------------------------------- */

/* A UTF-8 string with its length; not NUL-terminated unless stated. Frozen. */
typedef struct saksi_str {
    const char* data; /* owner and lifetime are stated where the struct is used */
    size_t size;      /* bytes, not characters */
} saksi_str;

/* A box in page pixels: x0,y0 inclusive top-left, x1,y1 exclusive. Frozen. */
typedef struct saksi_box {
    int32_t x0, y0, x1, y1;
} saksi_box;

#define SAKSI_PIXEL_GRAY8 1  /* 1 byte per pixel, 0 = black */
#define SAKSI_PIXEL_RGB24 2  /* 3 bytes per pixel: R, G, B */
#define SAKSI_PIXEL_RGBA32 3 /* 4 bytes per pixel: R, G, B, A */

/* A pixel buffer. Rows are top to bottom. Frozen. */
typedef struct saksi_image {
    uint32_t width, height; /* pixels; both > 0 */
    uint32_t stride;        /* bytes per row; >= width * bytes per pixel */
    uint32_t format;        /* SAKSI_PIXEL_* */
    uint32_t dpi;           /* resolution; 0 when unknown */
    const uint8_t* pixels;  /* owner and lifetime are stated where the struct is used */
} saksi_image;

/* One recognised word. Frozen; arrays of it carry their element size. */
typedef struct saksi_word {
    saksi_str text; /* UTF-8 */
    saksi_box bbox; /* in the coordinates of the image the stage was given */
    float conf;     /* 0..100; negative when not applicable (pdf-text) */
} saksi_word;

#define SAKSI_TEXT_OCR 1 /* recognised from pixels; record text_source "ocr" */
#define SAKSI_TEXT_PDF 2 /* taken from a PDF text layer; "pdf-text" */

/* The text of one page. Size-prefixed. */
typedef struct saksi_page_text {
    uint32_t struct_size;    /* sizeof(saksi_page_text) as the plugin knows it */
    uint32_t source;         /* SAKSI_TEXT_* */
    saksi_str text;          /* caller-owned; copied. Words appear in it, in order */
    const saksi_word* words; /* caller-owned array; copied. May be NULL when word_count is 0 */
    size_t word_count;
    size_t word_size;        /* sizeof(saksi_word) as the plugin knows it */
    float confidence;        /* mean word confidence 0..100; negative when not applicable */
} saksi_page_text;

/* A page a decoder adds. Size-prefixed. */
typedef struct saksi_page_init {
    uint32_t struct_size;       /* sizeof(saksi_page_init) as the plugin knows it */
    uint32_t width, height;     /* page size in page pixels (the record's coordinate frame) */
    uint32_t dpi;               /* resolution of that frame */
    const saksi_image* image;   /* optional page image of width x height; caller-owned, copied */
    /* Since ABI 1.2, optional: how the decoder made the page image, for the
     * record's pages[].image_source: "embedded" (a PDF page's own image at its
     * own resolution), "render" (drawn by a PDF renderer), "file" (an image
     * file's pixels). NUL-terminated, copied; NULL when not said. */
    const char* image_source;
    /* Since ABI 1.2: nonzero when the page has an image that `image` (NULL)
     * does not carry: the adding stage's decode_page hook makes it when a
     * stage asks for it, so a long document is decoded a page at a time.
     * Only for stages with decode_page; otherwise add_page fails
     * (SAKSI_E_INVALID). */
    uint32_t image_on_demand;
} saksi_page_init;

/* How a working image relates to its page. Size-prefixed.
 * page -> working: scale about the page's centre, then rotate about the
 * working image's centre; both images share their centre point. */
typedef struct saksi_page_transform {
    uint32_t struct_size; /* sizeof(saksi_page_transform) as the plugin knows it */
    double scale;         /* working image size / page size; > 0 (2.0 = twice as large) */
    double rotation_deg;  /* rotation applied to the page's content, in degrees,
                             clockwise on screen (y grows downwards) as Leptonica's
                             pixRotate; 0 when not rotated */
} saksi_page_transform;

/* ---- The host's callbacks ---------------------------------------------- */

/* An opaque document, owned by the host. Valid only during process(). */
typedef struct saksi_doc saksi_doc;

/* Receives a string from the host; `value` is valid only during the call. */
typedef void (*saksi_str_sink)(void* user, saksi_str value);

/*
 * The host's callbacks, size-prefixed. Passed to create(); valid for the
 * lifetime of the stage instance. Every callback is thread-safe: page-scope
 * stages of one document may run on several threads at once, each on its own
 * page. A callback on page P may only be made by the stage processing P, or
 * by a document-scope stage.
 */
typedef struct saksi_host_api {
    uint32_t struct_size; /* sizeof(saksi_host_api) as the host knows it */
    uint16_t abi_major, abi_minor;

    /* The document's original bytes (read-only) and what the host knows of it.
     * Strings are host-owned and valid during process(). */
    saksi_str (*source_path)(const saksi_doc* doc);
    saksi_str (*media_type)(const saksi_doc* doc); /* e.g. "image/png", "application/pdf" */
    int32_t (*source_bytes)(const saksi_doc* doc, const uint8_t** data, size_t* size);
    /* The run's output folder (absolute, no trailing slash). Sinks write only below it. */
    saksi_str (*output_dir)(const saksi_doc* doc);

    /* Pages. Indexes are 0-based; the record numbers pages from 1. */
    uint32_t (*page_count)(const saksi_doc* doc);
    /* Appends a page. Decode stages only; returns SAKSI_OK or SAKSI_E_INVALID. */
    int32_t (*add_page)(saksi_doc* doc, const saksi_page_init* page);
    /* The page's working image: a host-owned view, valid until the calling
     * stage's process() returns. SAKSI_E_NOT_FOUND when the page has none
     * (e.g. a PDF page read from its text layer). */
    int32_t (*page_image)(const saksi_doc* doc, uint32_t page, saksi_image* out);
    /* Replaces the page's working image (copied) and says how it relates to
     * the page, so that word boxes found on it are mapped back to page pixels
     * (a rotated box becomes the page-aligned box around its corners).
     * `transform` NULL means the same frame as the page. `note`
     * (NUL-terminated, may be NULL) says what was done, for the record. */
    int32_t (*set_page_image)(saksi_doc* doc, uint32_t page, const saksi_image* image,
                              const saksi_page_transform* transform, const char* note);
    /* Sets the page's text and words. Boxes are in working-image pixels. */
    int32_t (*set_page_text)(saksi_doc* doc, uint32_t page, const saksi_page_text* text);

    /* The record as JSON. `pointer` is an RFC 6901 JSON Pointer ("" = the
     * whole record, "/pages/0/text", "/entities"). The sink receives the
     * serialised value; SAKSI_E_NOT_FOUND when there is none. */
    int32_t (*get_json)(const saksi_doc* doc, const char* pointer, saksi_str_sink sink, void* user);
    /* Writes a JSON value (UTF-8 JSON text) at `pointer`. Writable places:
     * "/document/...", "/passport...", "/contract...", "/chat...",
     * "/things..." (the consolidated entities; older hosts deny it),
     * "/provenance/engines/<name>" (an engine's version string),
     * "/provenance/redaction" (an object: which policy and key made the
     * redacted copies; since ABI 1.1), "/pages/<i>/languages" (an array of
     * distinct ISO 639-3 codes for 0-based page i: the languages of its
     * text; since ABI 1.2), and the appends "/entities/-" and
     * "/redactions/-". Everything else is the
     * host's: SAKSI_E_DENIED. An entity without "detector" gets the stage's. */
    int32_t (*put_json)(saksi_doc* doc, const char* pointer, saksi_str json);

    /* Records an error on the document. `code` is a stable dotted code
     * ("pdf.encrypted"); `message` says what happened and what to do. Both
     * NUL-terminated, copied. */
    void (*add_error)(saksi_doc* doc, const char* code, const char* message);

    /* Logs a NUL-terminated line. level: 0 debug, 1 info, 2 warning, 3 error. */
    void (*log)(int32_t level, const char* message);

    /* Since ABI 1.2 (check struct_size before calling). The caller is done
     * with the view page_image() gave it for `page`: the host may free those
     * pixels before process() returns, and a later page_image() gives them
     * again (from the host's copy, or decoded again). A document-scope stage
     * that walks every page image (burn-in) calls it after each page, so a
     * long document never holds all its pages in memory. */
    void (*release_page_image)(const saksi_doc* doc, uint32_t page);
} saksi_host_api;

/* ---- What a plugin describes -------------------------------------------- */

#define SAKSI_STAGE_DECODE 1
#define SAKSI_STAGE_PREPROCESS 2
#define SAKSI_STAGE_OCR 3
#define SAKSI_STAGE_CLASSIFY 4
#define SAKSI_STAGE_EXTRACT 5
#define SAKSI_STAGE_REDACT 6
#define SAKSI_STAGE_SINK 7

#define SAKSI_SCOPE_DOCUMENT 1 /* process() once per document; page = SAKSI_ALL_PAGES */
#define SAKSI_SCOPE_PAGE 2     /* process() once per page, pages possibly in parallel */

#define SAKSI_ALL_PAGES UINT32_MAX

/* A stage instance, owned by the plugin; opaque to the host. */
typedef struct saksi_stage_instance saksi_stage_instance;

/* A stage, size-prefixed. Static data: must outlive the loaded plugin. */
typedef struct saksi_stage_descriptor {
    uint32_t struct_size; /* required: sizeof(saksi_stage_descriptor) as the plugin knows it */
    uint32_t kind;        /* required: SAKSI_STAGE_* */
    uint32_t scope;       /* required: SAKSI_SCOPE_* */
    const char* id;       /* required: unique stage id, "<kind>.<name>", e.g. "ocr.tesseract" */
    const char* description; /* optional: one line for `saksi plugins` */
    /* optional: NULL-terminated list of accepted media types: exact
     * ("image/png") or a whole family ("image/" followed by an asterisk).
     * NULL accepts every document. A stage is skipped on a document whose
     * media type it does not accept. */
    const char* const* media_types;
    /* optional: the stage's configuration, as a JSON object mapping each key
     * to {"type": "string"|"integer"|"number"|"boolean"|"string_list",
     * "default": value, "description": "...", "enum": [...], "minimum": n,
     * "maximum": n}. The host rejects unknown keys and wrong types when the
     * pipeline loads, with the file and line. NULL: the stage takes no keys. */
    const char* config_schema;

    /* required: creates an instance from its configuration (a JSON object with
     * every schema key, defaults filled in; valid during the call). The host
     * creates one instance per worker thread and never calls one instance
     * from two threads at once. On failure returns SAKSI_ERROR and writes a
     * NUL-terminated reason into `err` (capacity `err_size`). */
    int32_t (*create)(const saksi_host_api* host, saksi_str config_json, saksi_stage_instance** out,
                      char* err, size_t err_size);
    /* required: processes one document (scope DOCUMENT, page SAKSI_ALL_PAGES)
     * or one page of it (scope PAGE). SAKSI_OK, or SAKSI_ERROR after
     * add_error() or with a reason in `err`. A decode stage's error ends the
     * document as failed; a later stage's error is recorded and the pipeline
     * goes on. Must not throw or longjmp. */
    int32_t (*process)(saksi_stage_instance* self, saksi_doc* doc, uint32_t page, char* err,
                       size_t err_size);
    /* required: frees the instance. Called on the thread that last used it. */
    void (*destroy)(saksi_stage_instance* self);

    /* optional (since ABI 1.2), decode stages: makes the image of `page`, a
     * page this stage's process() added with image_on_demand, and hands it
     * over with set_page_image() at the page's own width and height and a
     * NULL transform; its `note`, when not NULL, replaces the page's
     * image_source ("render" when the decoder had to fall back). Called
     * after process() returned for the document, when a stage first needs
     * the image, and again whenever the host freed it; on any instance of
     * the stage, with the same rules as process(). SAKSI_OK, or SAKSI_ERROR
     * after add_error() or with a reason in `err`: the page has no image then. */
    int32_t (*decode_page)(saksi_stage_instance* self, saksi_doc* doc, uint32_t page, char* err,
                           size_t err_size);
} saksi_stage_descriptor;

/* A plugin, size-prefixed. Static data: must outlive the loaded plugin. */
typedef struct saksi_plugin_descriptor {
    uint32_t struct_size;   /* required: sizeof(saksi_plugin_descriptor) as the plugin knows it */
    uint16_t abi_major;     /* required: SAKSI_ABI_MAJOR the plugin was built with */
    uint16_t abi_minor;     /* required: SAKSI_ABI_MINOR the plugin was built with */
    const char* name;       /* required: e.g. "ocr_tesseract" */
    const char* version;    /* required: semantic version of the plugin, e.g. "1.0.0" */
    const char* description; /* optional */
    const char* license;     /* optional: SPDX identifier */
    uint32_t stage_count;    /* required: >= 1 */
    const saksi_stage_descriptor* const* stages; /* required: stage_count pointers */
} saksi_plugin_descriptor;

/*
 * The one entry symbol. The host passes its ABI version; the plugin returns
 * its descriptor (static, never freed), or NULL when it cannot serve that
 * host. Called once per load, on the host's main thread. Must not throw.
 */
typedef const saksi_plugin_descriptor* (*saksi_plugin_entry_fn)(uint16_t host_abi_major,
                                                                uint16_t host_abi_minor);
#define SAKSI_PLUGIN_ENTRY_SYMBOL "saksi_plugin_entry"

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SAKSI_PLUGIN_ABI_H */
