<?php
/**
 * The WordPress and WooCommerce API as real installs declare it, and signature comparison.
 *
 * Signatures are kept as in tests/fixtures/php-api/*.json: "($note, $is_customer_note = 0)",
 * optionally "static " in front and " from Declaring_Class" behind; a default of "?" means
 * "optional, value not recorded".
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

final class Fortnox_Test_Php_Api {

	/** @var array<string,string> Function name => signature. */
	private $functions = array();
	/** @var array<string,array<string,string>> Class => method => signature. */
	private $classes = array();

	/**
	 * Merge reference files; a name found in an earlier file wins.
	 *
	 * @param string[] $files JSON files.
	 */
	public function __construct( array $files ) {
		foreach ( $files as $file ) {
			$data = json_decode( (string) file_get_contents( $file ), true );
			if ( ! is_array( $data ) || ! isset( $data['functions'], $data['classes'] ) ) {
				throw new RuntimeException( "not a PHP API reference: $file" );
			}
			$this->functions += $data['functions'];
			foreach ( $data['classes'] as $class => $info ) {
				if ( ! isset( $this->classes[ $class ] ) ) {
					$this->classes[ $class ] = $info['methods'];
				}
			}
		}
	}

	/** @return string|null */
	public function function_signature( $name ) {
		return isset( $this->functions[ $name ] ) ? $this->functions[ $name ] : null;
	}

	/** @return bool */
	public function has_class( $class ) {
		return isset( $this->classes[ $class ] );
	}

	/** @return string|null */
	public function method_signature( $class, $method ) {
		return isset( $this->classes[ $class ][ $method ] ) ? $this->classes[ $class ][ $method ] : null;
	}

	/**
	 * Every reference class that has the method: for calls on objects of unknown class.
	 *
	 * @return array<string,string> Class => signature.
	 */
	public function methods_named( $method ) {
		$found = array();
		foreach ( $this->classes as $class => $methods ) {
			if ( isset( $methods[ $method ] ) ) {
				$found[ $class ] = $methods[ $method ];
			}
		}
		return $found;
	}

	/**
	 * Parse a signature string.
	 *
	 * @return array{static:bool,params:array<int,array{name:string,optional:bool,variadic:bool,default:?string}>}
	 */
	public static function parse( $signature ) {
		$text   = trim( $signature );
		$static = 0 === strpos( $text, 'static ' );
		if ( $static ) {
			$text = ltrim( substr( $text, 7 ) );
		}
		if ( '(' !== substr( $text, 0, 1 ) ) {
			throw new InvalidArgumentException( "not a signature: $signature" );
		}
		$params = array();
		foreach ( self::split_params( $text ) as $param ) {
			if ( ! preg_match( '/^&?(\.\.\.)?\$(\w+)(?:\s*=\s*(.*))?$/s', $param, $m ) ) {
				throw new InvalidArgumentException( "unreadable parameter \"$param\" in: $signature" );
			}
			$variadic = '' !== $m[1];
			$default  = isset( $m[3] ) ? $m[3] : null;
			$params[] = array(
				'name'     => $m[2],
				'optional' => $variadic || null !== $default,
				'variadic' => $variadic,
				'default'  => '?' === $default ? null : $default,
			);
		}
		return array( 'static' => $static, 'params' => $params );
	}

	/**
	 * The signature of a function or method as PHP declares it, in the same shape.
	 */
	public static function reflect( ReflectionFunctionAbstract $function ) {
		$params = array();
		foreach ( $function->getParameters() as $param ) {
			$params[] = array(
				'name'     => $param->getName(),
				'optional' => $param->isOptional(),
				'variadic' => $param->isVariadic(),
				'default'  => $param->isDefaultValueAvailable() ? var_export( $param->getDefaultValue(), true ) : null,
			);
		}
		$static = $function instanceof ReflectionMethod && $function->isStatic();
		return array( 'static' => $static, 'params' => $params );
	}

	/**
	 * A parsed signature as text, defaults shown when known.
	 */
	public static function format( array $signature ) {
		$params = array();
		foreach ( $signature['params'] as $p ) {
			$text = ( $p['variadic'] ? '...' : '' ) . '$' . $p['name'];
			if ( $p['optional'] && ! $p['variadic'] ) {
				$text .= ' = ' . ( null === $p['default'] ? '?' : preg_replace( '/\s+/', ' ', $p['default'] ) );
			}
			$params[] = $text;
		}
		return ( $signature['static'] ? 'static ' : '' ) . '(' . implode( ', ', $params ) . ')';
	}

	/**
	 * How a test double's signature differs from the real one ([] when it is the same).
	 *
	 * Names, order, optional and variadic parameters and static-ness must agree; defaults
	 * must agree where the reference recorded them.
	 *
	 * @return string[]
	 */
	public static function differences( array $double, array $real ) {
		$found = array();
		if ( $double['static'] !== $real['static'] ) {
			$found[] = $real['static'] ? 'should be static' : 'should not be static';
		}
		$count = max( count( $double['params'] ), count( $real['params'] ) );
		for ( $i = 0; $i < $count; $i++ ) {
			$position = $i + 1;
			if ( ! isset( $double['params'][ $i ] ) ) {
				$found[] = "parameter $position \${$real['params'][$i]['name']} is missing";
				continue;
			}
			$d = $double['params'][ $i ];
			if ( ! isset( $real['params'][ $i ] ) ) {
				$found[] = "parameter $position \${$d['name']} is not in the real one";
				continue;
			}
			$r = $real['params'][ $i ];
			if ( $d['name'] !== $r['name'] ) {
				$found[] = "parameter $position is \${$d['name']}, not \${$r['name']}";
			}
			if ( $d['variadic'] !== $r['variadic'] ) {
				$found[] = "parameter $position \${$r['name']} " . ( $r['variadic'] ? 'is variadic' : 'is not variadic' );
			} elseif ( $d['optional'] !== $r['optional'] ) {
				$found[] = "parameter $position \${$r['name']} " . ( $r['optional'] ? 'is optional' : 'is required' );
			} elseif ( null !== $r['default'] && null !== $d['default'] && self::squash( $d['default'] ) !== self::squash( $r['default'] ) ) {
				$found[] = "parameter $position \${$r['name']} defaults to {$r['default']}";
			}
		}
		return $found;
	}

	/**
	 * Whether a call with this many arguments fits the signature (null: unknown, as with `...$args`).
	 */
	public static function accepts( array $signature, $arguments ) {
		if ( null === $arguments ) {
			return true;
		}
		$required = 0;
		$most     = 0;
		foreach ( $signature['params'] as $p ) {
			if ( $p['variadic'] ) {
				$most = PHP_INT_MAX;
				break;
			}
			++$most;
			if ( ! $p['optional'] ) {
				$required = $most;
			}
		}
		return $arguments >= $required && $arguments <= $most;
	}

	/**
	 * The parameters between the outer parentheses, split at top-level commas.
	 *
	 * @return string[]
	 */
	private static function split_params( $text ) {
		$params  = array();
		$current = '';
		$depth   = 0;
		$quote   = '';
		$length  = strlen( $text );
		for ( $i = 0; $i < $length; $i++ ) {
			$char = $text[ $i ];
			if ( '' !== $quote ) {
				$current .= $char;
				if ( '\\' === $char && $i + 1 < $length ) {
					$current .= $text[ ++$i ];
				} elseif ( $char === $quote ) {
					$quote = '';
				}
				continue;
			}
			if ( "'" === $char || '"' === $char ) {
				$quote = $char;
			} elseif ( '(' === $char || '[' === $char ) {
				if ( 0 === $depth++ && '(' === $char ) {
					continue;
				}
			} elseif ( ')' === $char || ']' === $char ) {
				if ( 0 === --$depth ) {
					break;
				}
			} elseif ( ',' === $char && 1 === $depth ) {
				$params[] = trim( $current );
				$current  = '';
				continue;
			}
			$current .= $char;
		}
		if ( '' !== trim( $current ) ) {
			$params[] = trim( $current );
		}
		return $params;
	}

	private static function squash( $value ) {
		return preg_replace( '/\s+/', '', $value );
	}
}
