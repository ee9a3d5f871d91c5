from newsportal.text import keywords, tokenize


def test_tokenize_drops_punctuation_and_stopwords():
    toks = tokenize("本报讯（记者 陈晓岚）昨天上午，海河市新开通的高铁线路迎来首批乘客。")
    assert "高铁" in toks and "乘客" in toks
    assert "，" not in toks and "的" not in toks and "本报讯" not in toks and "昨天上午" not in toks


def test_keywords_are_most_frequent_multichar_tokens():
    text = "芯片产业发展迅速。芯片制造需要光刻机。国产芯片企业增加研发投入。"
    assert keywords(text, 3)[0] == "芯片"
