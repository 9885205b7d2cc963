/*
 * uscc.c - see uscc.h. The unified social credit code of GB 32100-2015:
 *
 *   position  1     登记管理部门码 (registration authority)
 *             2     机构类别码 (kind of entity)
 *             3-8   登记管理机关行政区划码 (GB/T 2260 region code, digits)
 *             9-17  主体标识码 (the former organisation code)
 *             18    校验码 (check character)
 *
 * Every character comes from a 31-character alphabet (0-9 and A-Z without
 * I, O, S, V, Z, which read like 1, 0, 5, U and 2). A character's value is
 * its index in that alphabet; the check character is
 * 31 - (sum of value * weight over the first 17) mod 31, where 31 means '0'.
 *
 * The verdict names the first problem in the order of enum uscc_verdict, so
 * a user who pastes a full-width code hears about full-width characters
 * rather than about a wrong check character.
 */
#include "uscc.h"

#include <string.h>

#define USCC_LEN 18

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const int uscc_weights[USCC_LEN - 1] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
};

/* The value of c in the alphabet (0-30), or -1 when c is not in it. */
static int char_value(char c)
{
	if (c == '\0')
		return -1;
	const char *hit = strchr(uscc_alphabet, c);
	return hit ? (int)(hit - uscc_alphabet) : -1;
}

/* Count characters: every byte that is not a UTF-8 continuation byte. */
static size_t count_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * True when s holds a full-width digit or Latin letter: U+FF10-FF19
 * (EF BC 90-99), U+FF21-FF3A (EF BC A1-BA) or U+FF41-FF5A (EF BD 81-9A).
 * These are what a Chinese input method in full-width mode produces.
 */
static bool has_fullwidth(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p[0]; p++) {
		if (p[0] != 0xEF || !p[1] || !p[2])
			continue;
		if (p[1] == 0xBC && ((p[2] >= 0x90 && p[2] <= 0x99) || (p[2] >= 0xA1 && p[2] <= 0xBA)))
			return true;
		if (p[1] == 0xBD && p[2] >= 0x81 && p[2] <= 0x9A)
			return true;
	}
	return false;
}

static bool has_lowercase(const char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			return true;
	return false;
}

char uscc_check_char(const char *first17)
{
	if (!first17)
		return 0;
	int sum = 0;
	for (int i = 0; i < USCC_LEN - 1; i++) {
		int v = char_value(first17[i]); /* stops at a NUL: -1 */
		if (v < 0)
			return 0;
		sum += v * uscc_weights[i];
	}
	int c = 31 - sum % 31;
	return uscc_alphabet[c == 31 ? 0 : c];
}

enum uscc_verdict uscc_check(const char *code)
{
	if (!code || !*code)
		return USCC_EMPTY;
	if (count_chars(code) != USCC_LEN)
		return USCC_LENGTH;
	if (has_fullwidth(code))
		return USCC_FULLWIDTH;
	if (has_lowercase(code))
		return USCC_LOWERCASE;
	/* 18 characters, none of them multi-byte once every one is in the alphabet. */
	for (int i = 0; i < USCC_LEN; i++)
		if (char_value(code[i]) < 0)
			return USCC_CHARSET;
	if (uscc_check_char(code) != code[USCC_LEN - 1])
		return USCC_CHECK;
	return USCC_OK;
}

const char *uscc_message(enum uscc_verdict v)
{
	switch (v) {
	case USCC_OK: return "";
	case USCC_EMPTY: return "请填写统一社会信用代码";
	case USCC_LENGTH: return "统一社会信用代码应为 18 位";
	case USCC_FULLWIDTH: return "统一社会信用代码含有全角字符，请切换到半角输入数字和字母";
	case USCC_LOWERCASE: return "统一社会信用代码中的字母应为大写";
	case USCC_CHARSET: return "统一社会信用代码只能由数字和大写字母组成（不含 I、O、S、V、Z）";
	case USCC_CHECK: return "统一社会信用代码校验位不正确，请核对后重新输入";
	}
	return "统一社会信用代码无效";
}

bool uscc_region(const char *code, char out[7])
{
	out[0] = '\0';
	if (uscc_check(code) != USCC_OK)
		return false;
	for (int i = 2; i < 8; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	memcpy(out, code + 2, 6);
	out[6] = '\0';
	return true;
}
