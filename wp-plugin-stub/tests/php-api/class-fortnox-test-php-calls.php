<?php
/**
 * The calls and declarations in PHP source, read with PHP's own tokenizer.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

// Tokens PHP 8 added; PHP 7.4 splits names at the backslashes and has no `?->`.
foreach ( array( 'T_NAME_QUALIFIED', 'T_NAME_FULLY_QUALIFIED', 'T_NULLSAFE_OBJECT_OPERATOR' ) as $fortnox_test_token ) {
	if ( ! defined( $fortnox_test_token ) ) {
		define( $fortnox_test_token, -1 );
	}
}

final class Fortnox_Test_Php_Calls {

	/**
	 * Calls: function, method (`->name(`), static (`Class::name(`) and `new Class(`.
	 *
	 * @var array<int,array{kind:string,name:string,class:string,on_this:bool,arguments:?int,line:int}>
	 */
	public $calls = array();
	/** @var string[] Functions declared outside classes. */
	public $functions = array();
	/** @var array<string,string[]> Class => methods it declares. */
	public $classes = array();

	/** @var array<int,array{0:int|string,1:string,2:int}> Tokens without whitespace and comments. */
	private $tokens = array();

	public function __construct( $code ) {
		$line = 1;
		foreach ( token_get_all( $code ) as $token ) {
			if ( is_array( $token ) ) {
				$line = $token[2];
				if ( in_array( $token[0], array( T_WHITESPACE, T_COMMENT, T_DOC_COMMENT, T_OPEN_TAG, T_CLOSE_TAG, T_INLINE_HTML ), true ) ) {
					continue;
				}
				$this->tokens[] = $token;
			} else {
				$this->tokens[] = array( $token, $token, $line );
			}
		}
		$this->read();
	}

	private function read() {
		$class       = '';
		$class_depth = -1;
		$depth       = 0;
		$count       = count( $this->tokens );
		for ( $i = 0; $i < $count; $i++ ) {
			$kind = $this->tokens[ $i ][0];
			if ( '{' === $kind || T_CURLY_OPEN === $kind || T_DOLLAR_OPEN_CURLY_BRACES === $kind ) {
				++$depth;
				continue;
			}
			if ( '}' === $kind ) {
				if ( --$depth === $class_depth ) {
					$class       = '';
					$class_depth = -1;
				}
				continue;
			}
			if ( T_CLASS === $kind && ! $this->is( $i - 1, T_DOUBLE_COLON ) && ! $this->is( $i - 1, T_NEW ) ) {
				$class                   = $this->tokens[ $i + 1 ][1];
				$class_depth             = $depth;
				$this->classes[ $class ] = array();
				continue;
			}
			if ( T_NEW === $kind && $this->is_name( $i + 1 ) ) {
				$this->calls[] = $this->call( 'new', '__construct', ltrim( $this->tokens[ $i + 1 ][1], '\\' ), false, $i + 2 );
				continue;
			}
			if ( ! $this->is_name( $i ) || ! $this->is( $i + 1, '(' ) || $this->is( $i - 1, T_NEW ) ) {
				continue;
			}
			$name = ltrim( $this->tokens[ $i ][1], '\\' );
			if ( $this->is( $i - 1, T_FUNCTION ) ) {
				if ( '' === $class ) {
					$this->functions[] = $name;
				} else {
					$this->classes[ $class ][] = $name;
				}
			} elseif ( $this->is( $i - 1, T_OBJECT_OPERATOR ) || $this->is( $i - 1, T_NULLSAFE_OBJECT_OPERATOR ) ) {
				$on_this       = $this->is( $i - 2, T_VARIABLE ) && '$this' === $this->tokens[ $i - 2 ][1] && ! $this->is( $i - 3, T_OBJECT_OPERATOR );
				$this->calls[] = $this->call( 'method', $name, '', $on_this, $i + 1 );
			} elseif ( $this->is( $i - 1, T_DOUBLE_COLON ) ) {
				$this->calls[] = $this->call( 'static', $name, ltrim( $this->tokens[ $i - 2 ][1], '\\' ), false, $i + 1 );
			} else {
				$this->calls[] = $this->call( 'function', $name, '', false, $i + 1 );
			}
		}
	}

	private function call( $kind, $name, $class, $on_this, $open ) {
		return array(
			'kind'      => $kind,
			'name'      => $name,
			'class'     => $class,
			'on_this'   => $on_this,
			'arguments' => $this->is( $open, '(' ) ? $this->count_arguments( $open ) : 0,
			'line'      => $this->tokens[ $open - 1 ][2],
		);
	}

	/**
	 * Arguments between the parenthesis at $open and its partner; null when one is unpacked (`...$a`).
	 */
	private function count_arguments( $open ) {
		$depth  = 0;
		$commas = 0;
		$last   = null;
		$count  = count( $this->tokens );
		for ( $i = $open; $i < $count; $i++ ) {
			$kind = $this->tokens[ $i ][0];
			if ( in_array( $kind, array( '(', '[', '{', T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES ), true ) ) {
				++$depth;
			} elseif ( in_array( $kind, array( ')', ']', '}' ), true ) ) {
				if ( 0 === --$depth ) {
					break;
				}
			} elseif ( 1 === $depth && ',' === $kind ) {
				++$commas;
			} elseif ( 1 === $depth && T_ELLIPSIS === $kind ) {
				return null;
			}
			$last = $kind;
		}
		if ( '(' === $last ) {
			return 0;
		}
		return ',' === $last ? $commas : $commas + 1;
	}

	private function is( $i, $kind ) {
		return isset( $this->tokens[ $i ] ) && $kind === $this->tokens[ $i ][0];
	}

	private function is_name( $i ) {
		return $this->is( $i, T_STRING ) || $this->is( $i, T_NAME_QUALIFIED ) || $this->is( $i, T_NAME_FULLY_QUALIFIED );
	}
}
