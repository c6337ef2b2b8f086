// saksi/sdk/sdk.hpp -- the header-only C++20 SDK for Saksi plugins.
// Include this one header; see docs/plugins.md.
#pragma once

#include <saksi/plugin_abi.h>
#include <saksi/sdk/document.hpp>
#include <saksi/sdk/files.hpp>
#include <saksi/sdk/page_words.hpp>
#include <saksi/sdk/plugin.hpp>
