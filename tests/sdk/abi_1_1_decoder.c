/* abi_1_1_decoder.c -- a decode plugin compiled against the frozen ABI 1.1
 * header (tests/sdk/abi_1_1/saksi/plugin_abi.h) and nothing else: a host of
 * a newer minor must keep taking its pages, whose saksi_page_init is shorter
 * than the host's (no image_source, no image_on_demand), and stream them
 * through its page-scope stages. One document-scope DECODE stage,
 * "decode.abi_1_1", for every document: it adds PAGES gray pages of
 * 600 x 800 pixels, each with its image (a black bar whose place tells the
 * page). */
#include <saksi/plugin_abi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if SAKSI_ABI_MAJOR != 1 || SAKSI_ABI_MINOR != 1
#error "abi_1_1_decoder must be built against the frozen ABI 1.1 header only"
#endif

#define PAGES 5
#define WIDTH 600
#define HEIGHT 800

struct saksi_stage_instance {
    const saksi_host_api* host; /* host-owned; valid for the instance's lifetime */
};

static void write_reason(char* err, size_t err_size, const char* text) {
    if (err && err_size > 0) snprintf(err, err_size, "%s", text);
}

static int32_t create(const saksi_host_api* host, saksi_str config, saksi_stage_instance** out,
                      char* err, size_t err_size) {
    saksi_stage_instance* self;
    (void)config;
    if (!host || host->abi_major != 1 || host->struct_size < sizeof(saksi_host_api) ||
        !host->add_page) {
        write_reason(err, err_size, "host lacks the ABI 1.1 callbacks");
        return SAKSI_ERROR;
    }
    self = malloc(sizeof *self);
    if (!self) {
        write_reason(err, err_size, "out of memory");
        return SAKSI_ERROR;
    }
    self->host = host;
    *out = self;
    return SAKSI_OK;
}

static int32_t process(saksi_stage_instance* self, saksi_doc* doc, uint32_t page, char* err,
                       size_t err_size) {
    uint8_t* pixels = malloc((size_t)WIDTH * HEIGHT);
    uint32_t n, y;
    (void)page;
    if (!pixels) {
        write_reason(err, err_size, "out of memory");
        return SAKSI_ERROR;
    }
    for (n = 0; n < PAGES; ++n) {
        saksi_image image;
        saksi_page_init init;
        memset(pixels, 255, (size_t)WIDTH * HEIGHT);
        for (y = 100 + 100 * n; y < 140 + 100 * n; ++y)
            memset(pixels + (size_t)y * WIDTH + 50, 0, 500);
        image.width = WIDTH;
        image.height = HEIGHT;
        image.stride = WIDTH;
        image.format = SAKSI_PIXEL_GRAY8;
        image.dpi = 100;
        image.pixels = pixels;
        init.struct_size = sizeof init;
        init.width = WIDTH;
        init.height = HEIGHT;
        init.dpi = 100;
        init.image = &image;
        if (self->host->add_page(doc, &init) != SAKSI_OK) {
            free(pixels);
            write_reason(err, err_size, "decode.abi_1_1: add_page failed");
            return SAKSI_ERROR;
        }
    }
    free(pixels);
    return SAKSI_OK;
}

static void destroy(saksi_stage_instance* self) {
    free(self);
}

static const saksi_stage_descriptor stage = {
    sizeof(saksi_stage_descriptor),
    SAKSI_STAGE_DECODE,
    SAKSI_SCOPE_DOCUMENT,
    "decode.abi_1_1",
    "ABI test: a decoder built against the frozen 1.1 header",
    NULL,
    NULL,
    create,
    process,
    destroy};

static const saksi_stage_descriptor* const stages[] = {&stage};

static const saksi_plugin_descriptor plugin = {sizeof(saksi_plugin_descriptor),
                                               SAKSI_ABI_MAJOR,
                                               SAKSI_ABI_MINOR,
                                               "abi_1_1_decoder",
                                               "1.1.0",
                                               "ABI test: a decoder built for ABI 1.1",
                                               "Apache-2.0",
                                               1,
                                               stages};

SAKSI_PLUGIN_EXPORT const saksi_plugin_descriptor* saksi_plugin_entry(uint16_t host_abi_major,
                                                                      uint16_t host_abi_minor) {
    (void)host_abi_minor;
    return host_abi_major == SAKSI_ABI_MAJOR ? &plugin : NULL;
}
