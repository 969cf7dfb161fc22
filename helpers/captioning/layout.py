"""The captioning archive's layout, shared by its loader and the sample set's builder."""

NULL, START, END, UNK = "<NULL>", "<START>", "<END>", "<UNK>"

# File names inside a captioning folder; features differ between the two sources (the
# sample set has only its pixel PCA, whatever `pca_features` asks for).
CAPTIONS_FILE = "coco2014_captions.h5"
VOCAB_FILE = "coco2014_vocab.json"
FULL_FEATURES = {True: "{split}2014_vgg16_fc7_pca.h5", False: "{split}2014_vgg16_fc7.h5"}
SAMPLE_FEATURES = "{split}_pixels_pca.h5"
SAMPLE_MARKER = "SAMPLE"  # present only in a sample set's folder
