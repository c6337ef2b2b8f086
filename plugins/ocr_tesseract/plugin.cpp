// The ocr_tesseract plugin's one exported symbol.
#include "ocr_stage.hpp"

#include <saksi/sdk/sdk.hpp>

SAKSI_PLUGIN("ocr_tesseract", "1.1.0", "OCR of page images with Tesseract 5 (LSTM)", "Apache-2.0",
             saksi::ocr::TesseractOcrStage)
