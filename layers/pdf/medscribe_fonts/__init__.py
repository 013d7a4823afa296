"""The PDF's font files (Noto subsets, data only): a package of its own so that it ships in the PdfLayer, the one
layer that draws PDFs, and not in the core layer every function loads. Found at run time with
``importlib.resources.files("medscribe_fonts")`` (medscribe.logic.document.fonts); installed beside medscribe by
pyproject.toml for local mode and tests; copied into the layer by layers/pdf/Makefile. Built by
scripts/build_pdf_fonts.py; README.txt says what each file covers."""
