<?php
/**
 * The plugin and its test doubles against the API of real WordPress and WooCommerce.
 *
 * A double that defines a function or method the real API lacks, or takes other parameters,
 * lets a test pass while the plugin fails in a shop ("Send to Fortnox again" called
 * WC_Order::add_note(), which real orders do not have). So:
 * - every function, method and constructor the plugin calls must be in the reference and
 *   accept that many arguments; a method on an object of unknown class must exist in one of
 *   the reference classes (or be one of the plugin's own methods);
 * - every function and public method the shims define must have the real parameters: names,
 *   order, optional or not, variadic or not, and the defaults where the reference has them.
 *
 * The reference is tests/fixtures/php-api/ (see SOURCE.md there). Deliberate exceptions are in
 * ALLOWED, each with its reason.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

require_once __DIR__ . '/php-api/class-fortnox-test-php-api.php';
require_once __DIR__ . '/php-api/class-fortnox-test-php-calls.php';

final class ApiConformanceTest extends PHPUnit\Framework\TestCase {

	/**
	 * Problems that are known and accepted: key => why.
	 */
	const ALLOWED = array(
		'call Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility()' =>
			'WooCommerce 7.1+ API outside the reference\'s classes; the plugin calls it only when the class exists.',
	);

	/** @var Fortnox_Test_Php_Api */
	private static $api;

	public static function setUpBeforeClass(): void {
		self::$api = new Fortnox_Test_Php_Api(
			array(
				__DIR__ . '/fixtures/php-api/wordpress-6.4.2-woocommerce-8.4.0.json',
				__DIR__ . '/fixtures/php-api/wordpress-6.1-debian-supplement.json',
			)
		);
	}

	public function test_the_plugin_calls_only_what_wordpress_and_woocommerce_have() {
		$this->assertSame( array(), self::unexpected( self::plugin_problems() ) );
	}

	public function test_the_shims_define_only_what_wordpress_and_woocommerce_have_with_their_parameters() {
		$this->assertSame( array(), self::unexpected( self::shim_problems() ) );
	}

	public function test_every_allowed_exception_is_still_needed() {
		$keys = array_keys( self::plugin_problems() + self::shim_problems() );

		$this->assertSame( array(), array_values( array_diff( array_keys( self::ALLOWED ), $keys ) ) );
	}

	// The check itself: it finds what it is there to find. ------------------------------

	public function test_a_call_of_a_method_no_reference_class_has_is_reported() {
		$problems = self::call_problems( new Fortnox_Test_Php_Calls( "<?php\n\$order->add_note( 'Sent' );\n\$order->add_order_note( 'Sent' );" ), 'snippet.php' );

		$this->assertSame( array( 'call ->add_note()' ), array_keys( $problems ) );
		$this->assertStringContainsString( 'snippet.php:2', $problems['call ->add_note()'] );
	}

	public function test_a_call_with_too_many_arguments_and_an_unknown_function_are_reported() {
		$problems = self::call_problems( new Fortnox_Test_Php_Calls( "<?php\nwc_get_order( 42, 'edit' );\nwc_get_order( 42 );\nwc_no_such_function();" ), 'snippet.php' );

		$this->assertSame( array( 'call wc_get_order()', 'call wc_no_such_function()' ), array_keys( $problems ) );
		$this->assertStringContainsString( 'with 2 arguments', $problems['call wc_get_order()'] );
	}

	public function test_a_double_with_other_parameters_is_reported() {
		$double = Fortnox_Test_Php_Api::reflect( new ReflectionFunction( function ( $text, $is_customer_note = false ) {} ) );
		$real   = Fortnox_Test_Php_Api::parse( self::$api->method_signature( 'WC_Order', 'add_order_note' ) );

		$this->assertSame(
			array(
				'parameter 1 is $text, not $note',
				'parameter 2 $is_customer_note defaults to 0',
				'parameter 3 $added_by_user is missing',
			),
			Fortnox_Test_Php_Api::differences( $double, $real )
		);
	}

	// ---------------------------------------------------------------------------------

	/**
	 * Problems not in ALLOWED, as "key: detail" lines.
	 */
	private static function unexpected( array $problems ) {
		$lines = array();
		foreach ( array_diff_key( $problems, self::ALLOWED ) as $key => $detail ) {
			$lines[] = "$key: $detail";
		}
		return $lines;
	}

	private static function plugin_problems() {
		$root     = dirname( __DIR__ );
		$paths    = array_merge( array( "$root/fortnox-sidecar.php", "$root/uninstall.php" ), glob( "$root/includes/*.php" ) );
		$problems = array();
		$sources  = array();
		foreach ( $paths as $path ) {
			$sources[] = array( new Fortnox_Test_Php_Calls( (string) file_get_contents( $path ) ), substr( $path, strlen( $root ) + 1 ) );
		}
		$own = self::own_names( array_column( $sources, 0 ) );
		foreach ( $sources as list( $calls, $file ) ) {
			$problems += self::call_problems( $calls, $file, $own );
		}
		return $problems;
	}

	/**
	 * The plugin's own functions, classes and methods.
	 */
	private static function own_names( array $sources ) {
		$own = array(
			'functions' => array(),
			'classes'   => array(),
			'methods'   => array(),
		);
		foreach ( $sources as $calls ) {
			$own['functions'] = array_merge( $own['functions'], $calls->functions );
			foreach ( $calls->classes as $class => $methods ) {
				$own['classes'][] = $class;
				$own['methods']   = array_merge( $own['methods'], $methods );
			}
		}
		return $own;
	}

	/**
	 * Calls not in the reference, or with a number of arguments it does not take.
	 *
	 * @return array<string,string> Key => where and why.
	 */
	private static function call_problems( Fortnox_Test_Php_Calls $source, $file, array $own = array( 'functions' => array(), 'classes' => array(), 'methods' => array() ) ) {
		$problems = array();
		foreach ( $source->calls as $call ) {
			$name = $call['name'];
			$args = $call['arguments'];
			$at   = "$file:{$call['line']} with " . ( null === $args ? 'unpacked' : $args ) . ' argument' . ( 1 === $args ? '' : 's' );
			switch ( $call['kind'] ) {
				case 'function':
					if ( in_array( $name, $own['functions'], true ) || self::is_php( 'function', $name ) ) {
						break;
					}
					$candidates = array( $name => self::$api->function_signature( $name ) );
					$key        = "call $name()";
					break;
				case 'method':
					if ( $call['on_this'] || in_array( $name, $own['methods'], true ) ) {
						break;
					}
					$candidates = self::$api->methods_named( $name );
					$key        = "call ->$name()";
					break;
				default:
					$class = $call['class'];
					if ( in_array( $class, array( 'self', 'static', 'parent' ), true ) || in_array( $class, $own['classes'], true ) || self::is_php( 'class', $class ) ) {
						break;
					}
					$candidates = array( $class => self::$api->method_signature( $class, $name ) );
					$key        = 'new' === $call['kind'] ? "call new $class()" : "call $class::$name()";
			}
			if ( ! isset( $key ) ) {
				continue;
			}
			$candidates = array_filter( $candidates );
			if ( empty( $candidates ) ) {
				$problems += array( $key => "$at: not in the reference" );
			} else {
				$fits = array_filter(
					$candidates,
					function ( $signature ) use ( $args ) {
						return Fortnox_Test_Php_Api::accepts( Fortnox_Test_Php_Api::parse( $signature ), $args );
					}
				);
				if ( empty( $fits ) ) {
					$problems += array( $key => "$at: the reference has " . self::describe( $candidates, $name ) );
				}
			}
			unset( $key );
		}
		return $problems;
	}

	/**
	 * Every function and public method the shims declare, compared with the reference.
	 *
	 * The shims' own state and tools (Fortnox_Test_*, fortnox_test_*) are not doubles.
	 */
	private static function shim_problems() {
		$shims    = realpath( __DIR__ . '/shims' ) . '/';
		$problems = array();
		foreach ( get_defined_functions()['user'] as $function ) {
			$reflection = new ReflectionFunction( $function );
			if ( 0 !== strpos( (string) $reflection->getFileName(), $shims ) || 0 === stripos( $reflection->getName(), 'fortnox_test_' ) ) {
				continue;
			}
			$name = $reflection->getName();
			$problems += self::compare( "shim $name()", $reflection, self::$api->function_signature( $name ) );
		}
		foreach ( get_declared_classes() as $class ) {
			$reflection = new ReflectionClass( $class );
			if ( 0 !== strpos( (string) $reflection->getFileName(), $shims ) || 0 === strpos( $class, 'Fortnox_Test' ) ) {
				continue;
			}
			foreach ( $reflection->getMethods( ReflectionMethod::IS_PUBLIC ) as $method ) {
				if ( $method->getDeclaringClass()->getName() === $class ) {
					$problems += self::compare( "shim $class::{$method->getName()}()", $method, self::$api->method_signature( $class, $method->getName() ) );
				}
			}
		}
		return $problems;
	}

	private static function compare( $key, ReflectionFunctionAbstract $double, $reference ) {
		$signature = Fortnox_Test_Php_Api::reflect( $double );
		if ( null === $reference ) {
			return array( $key => Fortnox_Test_Php_Api::format( $signature ) . ' is not in the reference' );
		}
		$differences = Fortnox_Test_Php_Api::differences( $signature, Fortnox_Test_Php_Api::parse( $reference ) );
		if ( empty( $differences ) ) {
			return array();
		}
		return array( $key => Fortnox_Test_Php_Api::format( $signature ) . ' differs from the real ' . Fortnox_Test_Php_Api::format( Fortnox_Test_Php_Api::parse( $reference ) ) . ': ' . implode( '; ', $differences ) );
	}

	/**
	 * "WC_Data::delete($force_delete = false) or wpdb::delete(...)", each signature once.
	 *
	 * @param array<string,string> $candidates Class (or the function's name) => signature.
	 */
	private static function describe( array $candidates, $name ) {
		$seen = array();
		foreach ( $candidates as $owner => $signature ) {
			$text = Fortnox_Test_Php_Api::format( Fortnox_Test_Php_Api::parse( $signature ) );
			if ( ! isset( $seen[ $text ] ) ) {
				$seen[ $text ] = ( $owner === $name ? '' : "$owner::" ) . $name . $text;
			}
		}
		return implode( ' or ', $seen );
	}

	/**
	 * Whether PHP itself (core or an extension) provides the function or class.
	 */
	private static function is_php( $kind, $name ) {
		if ( 'function' === $kind ) {
			return function_exists( $name ) && ( new ReflectionFunction( $name ) )->isInternal();
		}
		return class_exists( $name, false ) && ( new ReflectionClass( $name ) )->isInternal();
	}
}
