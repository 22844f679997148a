/* SPDX-License-Identifier: MIT */
/*
 * Scenario lexer: bytes -> tokens, each with file:line:col.  Hand-written,
 * locale-independent (g_ascii_*), no floating point: times, decimals,
 * addresses and ranges are converted to integers here, so a bad literal is
 * reported at the literal itself.  See docs/scenario-language.md, "Lexical
 * structure", for the token grammar.
 *
 * The lexer knows nothing about statements.  It turns the whole input into
 * an array that ends with one SCN_TOK_EOF or, at the first lexical error,
 * one SCN_TOK_ERROR carrying the GError.  The parser reports that error
 * only when it reaches the token, so errors always come out in file order.
 */
#ifndef SIM_SCENARIO_LEXER_H
#define SIM_SCENARIO_LEXER_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"

enum scn_tok_kind {
	SCN_TOK_EOF,
	SCN_TOK_ERROR,		/* a lexical error; see scn_token.error */
	SCN_TOK_NEWLINE,	/* end of a logical line ("\\\n" does not end one) */
	SCN_TOK_IDENT,		/* val.kind == SCN_V_IDENT */
	SCN_TOK_VALUE,		/* any other literal: INT TIME DECIMAL STRING ADDR PREFIX RANGE */
	SCN_TOK_PARAM,		/* $name; text is the name without '$' */
	SCN_TOK_EXPR,		/* a word that starts with a digit or '$' and names
				 * a $NAME inside: 8000+$i, 10.0.0.2:$port, $base+1;
				 * the parser evaluates it (text) */
	SCN_TOK_LPAREN,
	SCN_TOK_RPAREN,
	SCN_TOK_COMMA,
	SCN_TOK_EQ,
	SCN_TOK_AT,
	SCN_TOK_TILDE,
	SCN_TOK_CMP,		/* == != < <= > >= (a program's condition on a variable) */
};

struct scn_token {
	enum scn_tok_kind kind;
	struct scn_loc loc;	/* first byte of the token */
	size_t offset;		/* byte offset of the first byte in the input */
	size_t len;		/* bytes of source text */
	char *text;		/* source text (a string keeps its quotes); owned */
	char *str;		/* STRING: the decoded contents; owned; else NULL */
	struct scn_value val;	/* IDENT/VALUE: the literal; val.text borrows
				 * text (or str for STRING) */
	GError *error;		/* ERROR only; owned */
};

/*
 * Lex @len bytes of @text.  Locations use @file (not copied: it must outlive
 * the tokens) and start at @line:@col.  Returns a GArray of struct scn_token
 * whose last element is SCN_TOK_EOF or SCN_TOK_ERROR; free it with
 * g_array_unref() (a clear function frees every token).
 */
GArray *scn_lex(const char *file, const char *text, size_t len,
		uint32_t line, uint32_t col);

/* "'connect'", "')'", "end of line", "string \"abc\"": for error messages.
 * @eof_desc names SCN_TOK_EOF ("end of file").  Returns a new string. */
char *scn_token_describe(const struct scn_token *tok, const char *eof_desc);

#endif
