<?php
/**
 * Small stand-ins for the WordPress functions the plugin calls.
 *
 * They keep their state in Fortnox_Test_WP so each test starts clean, and record
 * what the plugin did (redirects, HTTP requests, menu pages, meta boxes) so the
 * tests can assert on it.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

define( 'MINUTE_IN_SECONDS', 60 );
define( 'HOUR_IN_SECONDS', 3600 );

/**
 * State of the fake WordPress.
 */
class Fortnox_Test_WP {
	/** @var array<string,array<int,array<int,array{0:callable,1:int}>>> */
	public static $hooks = array();
	/** @var array<string,mixed> */
	public static $options = array();
	/** @var array<string,mixed> */
	public static $transients = array();
	/** @var int */
	public static $current_user_id = 0;
	/** @var array<int,array{roles:string[],caps:string[]}> */
	public static $users = array();
	/** @var array<int,array{url:string,args:array}> */
	public static $remote_posts = array();
	/** @var array|WP_Error */
	public static $remote_response = null;
	/** @var array<int,array{location:string,status:int,safe:bool}> */
	public static $redirects = array();
	/** @var array<int,array{setting:string,code:string,message:string,type:string}> */
	public static $settings_errors = array();
	/** @var array<int,array> */
	public static $menu_pages = array();
	/** @var array<int,array> */
	public static $submenu_pages = array();
	/** @var array<int,array> */
	public static $meta_boxes = array();
	/** @var array<string,array> */
	public static $registered_settings = array();
	/** @var array<string,array> */
	public static $settings_sections = array();
	/** @var array<string,array<string,array>> */
	public static $settings_fields = array();
	/** @var array<string,array<string,string>> domain => (English => translation) */
	public static $translations = array();

	public static function reset() {
		self::$hooks               = array();
		self::$options             = array();
		self::$transients          = array();
		self::$current_user_id     = 0;
		self::$users               = array();
		self::$remote_posts        = array();
		self::$remote_response     = array(
			'response' => array( 'code' => 202, 'message' => 'Accepted' ),
			'body'     => '{"status":"queued"}',
		);
		self::$redirects           = array();
		self::$settings_errors     = array();
		self::$menu_pages          = array();
		self::$submenu_pages       = array();
		self::$meta_boxes          = array();
		self::$registered_settings = array();
		self::$settings_sections   = array();
		self::$settings_fields     = array();
		self::$translations        = array();
		$_POST                     = array();
		$_GET                      = array();
		$_REQUEST                  = array();
	}

	/**
	 * Add a user.
	 *
	 * @param int      $id    User ID.
	 * @param string[] $roles Roles.
	 * @param string[] $caps  Capabilities.
	 */
	public static function add_user( $id, array $roles, array $caps ) {
		self::$users[ $id ] = array( 'roles' => $roles, 'caps' => $caps );
	}

	/**
	 * Log in as a user.
	 *
	 * @param int $id User ID (0 = logged out).
	 */
	public static function login( $id ) {
		self::$current_user_id = $id;
	}
}

/** Thrown by wp_die() so a test can see the request end. */
class Fortnox_Test_WP_Die extends Exception {
	/** @var array */
	public $args;
	public function __construct( $message, $title, $args ) {
		parent::__construct( (string) $message, isset( $args['response'] ) ? (int) $args['response'] : 500 );
		$this->args = $args;
	}
}

class WP_Error {
	private $code;
	private $message;
	public function __construct( $code = '', $message = '', $data = '' ) {
		$this->code    = $code;
		$this->message = $message;
	}
	public function get_error_code() {
		return $this->code;
	}
	public function get_error_message( $code = '' ) {
		return $this->message;
	}
}

class WP_Post {
	public $ID;
	public $post_type = 'post';
	public function __construct( $post ) {
		foreach ( get_object_vars( $post ) as $key => $value ) {
			$this->$key = $value;
		}
	}
}

function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

// Hooks -------------------------------------------------------------------

function add_filter( $hook_name, $callback, $priority = 10, $accepted_args = 1 ) {
	Fortnox_Test_WP::$hooks[ $hook_name ][ $priority ][] = array( $callback, $accepted_args );
	return true;
}

function add_action( $hook_name, $callback, $priority = 10, $accepted_args = 1 ) {
	return add_filter( $hook_name, $callback, $priority, $accepted_args );
}

function has_filter( $hook_name, $callback = false ) {
	if ( empty( Fortnox_Test_WP::$hooks[ $hook_name ] ) ) {
		return false;
	}
	if ( false === $callback ) {
		return true;
	}
	foreach ( Fortnox_Test_WP::$hooks[ $hook_name ] as $priority => $callbacks ) {
		foreach ( $callbacks as $entry ) {
			if ( $entry[0] === $callback ) {
				return $priority;
			}
		}
	}
	return false;
}

function has_action( $hook_name, $callback = false ) {
	return has_filter( $hook_name, $callback );
}

function apply_filters( $hook_name, $value, ...$args ) {
	if ( empty( Fortnox_Test_WP::$hooks[ $hook_name ] ) ) {
		return $value;
	}
	$by_priority = Fortnox_Test_WP::$hooks[ $hook_name ];
	ksort( $by_priority );
	foreach ( $by_priority as $callbacks ) {
		foreach ( $callbacks as $entry ) {
			$all   = array_merge( array( $value ), $args );
			$value = call_user_func_array( $entry[0], array_slice( $all, 0, max( 1, (int) $entry[1] ) ) );
		}
	}
	return $value;
}

function do_action( $hook_name, ...$arg ) {
	if ( empty( Fortnox_Test_WP::$hooks[ $hook_name ] ) ) {
		return;
	}
	$by_priority = Fortnox_Test_WP::$hooks[ $hook_name ];
	ksort( $by_priority );
	foreach ( $by_priority as $callbacks ) {
		foreach ( $callbacks as $entry ) {
			call_user_func_array( $entry[0], array_slice( $arg, 0, (int) $entry[1] ) );
		}
	}
}

// Options and transients --------------------------------------------------

function get_option( $option, $default_value = false ) {
	return array_key_exists( $option, Fortnox_Test_WP::$options ) ? Fortnox_Test_WP::$options[ $option ] : $default_value;
}

function add_option( $option, $value = '', $deprecated = '', $autoload = 'yes' ) {
	if ( array_key_exists( $option, Fortnox_Test_WP::$options ) ) {
		return false;
	}
	$value                               = apply_filters( "sanitize_option_{$option}", $value, $option, $value );
	Fortnox_Test_WP::$options[ $option ] = $value;
	do_action( "add_option_{$option}", $option, $value );
	return true;
}

function update_option( $option, $value, $autoload = null ) {
	$value     = apply_filters( "sanitize_option_{$option}", $value, $option, $value );
	$old_value = get_option( $option );
	$value     = apply_filters( "pre_update_option_{$option}", $value, $old_value, $option );
	if ( $value === $old_value ) {
		return false;
	}
	if ( ! array_key_exists( $option, Fortnox_Test_WP::$options ) ) {
		Fortnox_Test_WP::$options[ $option ] = $value;
		do_action( "add_option_{$option}", $option, $value );
		return true;
	}
	Fortnox_Test_WP::$options[ $option ] = $value;
	do_action( "update_option_{$option}", $old_value, $value, $option );
	return true;
}

function delete_option( $option ) {
	if ( ! array_key_exists( $option, Fortnox_Test_WP::$options ) ) {
		return false;
	}
	unset( Fortnox_Test_WP::$options[ $option ] );
	return true;
}

function get_transient( $transient ) {
	return array_key_exists( $transient, Fortnox_Test_WP::$transients ) ? Fortnox_Test_WP::$transients[ $transient ] : false;
}

function set_transient( $transient, $value, $expiration = 0 ) {
	Fortnox_Test_WP::$transients[ $transient ] = $value;
	return true;
}

function delete_transient( $transient ) {
	unset( Fortnox_Test_WP::$transients[ $transient ] );
	return true;
}

// Users and capabilities --------------------------------------------------

function get_current_user_id() {
	return Fortnox_Test_WP::$current_user_id;
}

function user_can( $user, $capability, ...$args ) {
	$user_id = is_object( $user ) ? (int) $user->ID : (int) $user;
	return isset( Fortnox_Test_WP::$users[ $user_id ] ) && in_array( $capability, Fortnox_Test_WP::$users[ $user_id ]['caps'], true );
}

function current_user_can( $capability, ...$args ) {
	return user_can( get_current_user_id(), $capability );
}

function get_users( $args = array() ) {
	$ids = array_keys( Fortnox_Test_WP::$users );
	sort( $ids );
	$result = array();
	foreach ( $ids as $id ) {
		$roles = Fortnox_Test_WP::$users[ $id ]['roles'];
		if ( ! empty( $args['role__in'] ) && ! array_intersect( $roles, $args['role__in'] ) ) {
			continue;
		}
		$result[] = (string) $id; // WordPress returns IDs as strings with fields => ID.
	}
	return $result;
}

// Nonces ------------------------------------------------------------------

function wp_create_nonce( $action = -1 ) {
	return substr( md5( 'nonce|' . $action . '|' . get_current_user_id() ), 0, 10 );
}

function wp_verify_nonce( $nonce, $action = -1 ) {
	return is_string( $nonce ) && '' !== $nonce && hash_equals( wp_create_nonce( $action ), $nonce ) ? 1 : false;
}

function check_admin_referer( $action = -1, $query_arg = '_wpnonce' ) {
	$nonce  = isset( $_REQUEST[ $query_arg ] ) ? $_REQUEST[ $query_arg ] : '';
	$result = wp_verify_nonce( $nonce, $action );
	if ( ! $result ) {
		wp_die( 'The link you followed has expired.', '', array( 'response' => 403 ) );
	}
	return $result;
}

function wp_nonce_field( $action = -1, $name = '_wpnonce', $referer = true, $display = true ) {
	$field = '<input type="hidden" id="' . esc_attr( $name ) . '" name="' . esc_attr( $name ) . '" value="' . wp_create_nonce( $action ) . '" />';
	if ( $display ) {
		echo $field;
	}
	return $field;
}

function wp_die( $message = '', $title = '', $args = array() ) {
	throw new Fortnox_Test_WP_Die( $message, $title, $args );
}

// Escaping, sanitizing, i18n ----------------------------------------------

function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}

function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}

function esc_url( $url, $protocols = null, $_context = 'display' ) {
	$url = (string) $url;
	if ( '' !== $url && ! preg_match( '#^(https?://|/|[a-z0-9-]+\.php)#i', $url ) ) {
		return '';
	}
	return htmlspecialchars( $url, ENT_QUOTES, 'UTF-8' );
}

function esc_url_raw( $url, $protocols = null ) {
	$url = (string) $url;
	return preg_match( '#^https?://#i', $url ) ? $url : '';
}

function __( $text, $domain = 'default' ) {
	$found = Fortnox_Test_WP::$translations[ $domain ][ $text ] ?? '';
	return '' !== $found ? $found : $text;
}

function esc_html__( $text, $domain = 'default' ) {
	return esc_html( __( $text, $domain ) );
}

function esc_attr__( $text, $domain = 'default' ) {
	return esc_attr( __( $text, $domain ) );
}

function esc_html_e( $text, $domain = 'default' ) {
	echo esc_html( __( $text, $domain ) );
}

function sanitize_text_field( $str ) {
	$text = strip_tags( (string) $str );
	$text = preg_replace( '/[\r\n\t ]+/', ' ', $text );
	return trim( $text );
}

function wp_unslash( $value ) {
	return is_string( $value ) ? stripslashes( $value ) : $value;
}

function absint( $maybeint ) {
	return abs( (int) $maybeint );
}

function wp_json_encode( $data, $options = 0, $depth = 512 ) {
	return json_encode( $data, $options, $depth );
}

function wp_parse_url( $url, $component = -1 ) {
	return parse_url( $url, $component );
}

function plugin_basename( $file ) {
	return basename( dirname( $file ) ) . '/' . basename( $file );
}

function load_plugin_textdomain( $domain, $deprecated = false, $plugin_rel_path = false ) {
	return true;
}

function admin_url( $path = '', $scheme = 'admin' ) {
	return 'https://shop.example/wp-admin/' . ltrim( $path, '/' );
}

// Redirects and HTTP ------------------------------------------------------

function wp_redirect( $location, $status = 302, $x_redirect_by = 'WordPress' ) {
	Fortnox_Test_WP::$redirects[] = array( 'location' => $location, 'status' => $status, 'safe' => false );
	return true;
}

function wp_safe_redirect( $location, $status = 302, $x_redirect_by = 'WordPress' ) {
	Fortnox_Test_WP::$redirects[] = array( 'location' => $location, 'status' => $status, 'safe' => true );
	return true;
}

function wp_remote_post( $url, $args = array() ) {
	Fortnox_Test_WP::$remote_posts[] = array( 'url' => $url, 'args' => $args );
	return Fortnox_Test_WP::$remote_response;
}

function wp_remote_retrieve_response_code( $response ) {
	return is_array( $response ) && isset( $response['response']['code'] ) ? $response['response']['code'] : '';
}

function wp_remote_retrieve_body( $response ) {
	return is_array( $response ) && isset( $response['body'] ) ? $response['body'] : '';
}

// Admin screens -----------------------------------------------------------

function register_activation_hook( $file, $callback ) {
	add_action( 'activate_' . plugin_basename( $file ), $callback );
}

function register_deactivation_hook( $file, $callback ) {
	add_action( 'deactivate_' . plugin_basename( $file ), $callback );
}

function add_menu_page( $page_title, $menu_title, $capability, $menu_slug, $callback = '', $icon_url = '', $position = null ) {
	Fortnox_Test_WP::$menu_pages[] = compact( 'page_title', 'menu_title', 'capability', 'menu_slug', 'callback', 'icon_url', 'position' );
	return 'toplevel_page_' . $menu_slug;
}

function add_submenu_page( $parent_slug, $page_title, $menu_title, $capability, $menu_slug, $callback = '', $position = null ) {
	Fortnox_Test_WP::$submenu_pages[] = compact( 'parent_slug', 'page_title', 'menu_title', 'capability', 'menu_slug', 'callback' );
	return $parent_slug . '_page_' . $menu_slug;
}

function add_meta_box( $id, $title, $callback, $screen = null, $context = 'advanced', $priority = 'default', $callback_args = null ) {
	Fortnox_Test_WP::$meta_boxes[] = compact( 'id', 'title', 'callback', 'screen', 'context', 'priority' );
}

function register_setting( $option_group, $option_name, $args = array() ) {
	Fortnox_Test_WP::$registered_settings[ $option_name ] = array( 'group' => $option_group, 'args' => $args );
	if ( ! empty( $args['sanitize_callback'] ) ) {
		add_filter( "sanitize_option_{$option_name}", $args['sanitize_callback'] );
	}
}

function add_settings_section( $id, $title, $callback, $page, $args = array() ) {
	Fortnox_Test_WP::$settings_sections[ $page ][ $id ] = compact( 'id', 'title', 'callback' );
}

function add_settings_field( $id, $title, $callback, $page, $section = 'default', $args = array() ) {
	Fortnox_Test_WP::$settings_fields[ $page ][ $id ] = compact( 'id', 'title', 'callback', 'section', 'args' );
}

function add_settings_error( $setting, $code, $message, $type = 'error' ) {
	Fortnox_Test_WP::$settings_errors[] = compact( 'setting', 'code', 'message', 'type' );
}

function settings_errors( $setting = '', $sanitize = false, $hide_on_update = false ) {
	foreach ( Fortnox_Test_WP::$settings_errors as $error ) {
		echo '<div class="notice notice-' . esc_attr( $error['type'] ) . '"><p>' . $error['message'] . '</p></div>';
	}
}

function settings_fields( $option_group ) {
	echo '<input type="hidden" name="option_page" value="' . esc_attr( $option_group ) . '" />';
	wp_nonce_field( "{$option_group}-options" );
}

function do_settings_sections( $page ) {
	foreach ( isset( Fortnox_Test_WP::$settings_sections[ $page ] ) ? Fortnox_Test_WP::$settings_sections[ $page ] : array() as $section ) {
		echo '<h2>' . $section['title'] . '</h2>';
		call_user_func( $section['callback'], $section );
		foreach ( isset( Fortnox_Test_WP::$settings_fields[ $page ] ) ? Fortnox_Test_WP::$settings_fields[ $page ] : array() as $field ) {
			if ( $field['section'] === $section['id'] ) {
				call_user_func( $field['callback'], $field['args'] );
			}
		}
	}
}

function submit_button( $text = null, $type = 'primary', $name = 'submit', $wrap = true, $other_attributes = null ) {
	echo '<input type="submit" class="button button-primary" value="' . esc_attr( (string) $text ) . '" />';
}
