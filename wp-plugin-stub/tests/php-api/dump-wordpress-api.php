<?php
/**
 * Print the signatures of WordPress functions and classes, read by reflection from a real site.
 *
 * Usage: php dump-wordpress-api.php <site root> <names.json>
 *
 * names.json lists what to read under "functions" and "classes" (as keys or as a list), for
 * example the supplement file itself. The output has the same format as the reference files in
 * tests/fixtures/php-api/. The admin includes are loaded too, so the Settings API and the
 * menu and meta box functions are found.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

if ( 3 !== $argc ) {
	fwrite( STDERR, "usage: php dump-wordpress-api.php <site root> <names.json>\n" );
	exit( 2 );
}

$names = json_decode( (string) file_get_contents( $argv[2] ), true );
if ( ! is_array( $names ) ) {
	fwrite( STDERR, "not JSON: {$argv[2]}\n" );
	exit( 2 );
}

require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

/**
 * "($a, $b = 'x')" for a function or method, with "static " and " from Class" as the reference has them.
 */
function fortnox_test_signature( ReflectionFunctionAbstract $function, $class = null ) {
	$params = array();
	foreach ( $function->getParameters() as $param ) {
		$text = ( $param->isPassedByReference() ? '&' : '' ) . ( $param->isVariadic() ? '...' : '' ) . '$' . $param->getName();
		if ( $param->isDefaultValueAvailable() ) {
			$text .= ' = ' . var_export( $param->getDefaultValue(), true );
		}
		$params[] = $text;
	}
	$signature = '(' . implode( ', ', $params ) . ')';
	if ( $function instanceof ReflectionMethod ) {
		if ( $function->isStatic() ) {
			$signature = 'static ' . $signature;
		}
		$declaring = $function->getDeclaringClass()->getName();
		if ( $declaring !== $class ) {
			$signature .= ' from ' . $declaring;
		}
	}
	return $signature;
}

function fortnox_test_names( $list ) {
	$list = is_array( $list ) ? $list : array();
	return array_keys( $list ) === range( 0, count( $list ) - 1 ) ? $list : array_keys( $list );
}

$out = array(
	'source'            => "Debian's wordpress package, read by reflection with wp-plugin-stub/tests/php-api/dump-wordpress-api.php",
	'wordpress_version' => $GLOBALS['wp_version'],
	'functions'         => array(),
	'classes'           => array(),
);

$missing = array();
foreach ( fortnox_test_names( isset( $names['functions'] ) ? $names['functions'] : array() ) as $name ) {
	if ( ! function_exists( $name ) ) {
		$missing[] = "$name()";
		continue;
	}
	$out['functions'][ $name ] = fortnox_test_signature( new ReflectionFunction( $name ) );
}
foreach ( fortnox_test_names( isset( $names['classes'] ) ? $names['classes'] : array() ) as $class ) {
	if ( ! class_exists( $class ) ) {
		$missing[] = $class;
		continue;
	}
	$reflection = new ReflectionClass( $class );
	$methods    = array();
	foreach ( $reflection->getMethods( ReflectionMethod::IS_PUBLIC ) as $method ) {
		$methods[ $method->getName() ] = fortnox_test_signature( $method, $class );
	}
	ksort( $methods );
	$parent                    = $reflection->getParentClass();
	$out['classes'][ $class ] = array(
		'parent'  => $parent ? $parent->getName() : null,
		'methods' => $methods,
	);
}
ksort( $out['functions'] );
ksort( $out['classes'] );

if ( $missing ) {
	fwrite( STDERR, 'not in this WordPress: ' . implode( ', ', $missing ) . "\n" );
	exit( 1 );
}
echo json_encode( $out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ), "\n";
