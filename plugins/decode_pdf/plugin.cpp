// The decode_pdf plugin: its one exported entry symbol.
#include <saksi/sdk/sdk.hpp>

#include "pdf_decode_stage.hpp"

SAKSI_PLUGIN("decode_pdf", "1.0.0", "PDF decoding via Poppler: text layer or page renders",
             "Apache-2.0", saksi::decode_pdf::PdfDecodeStage)
